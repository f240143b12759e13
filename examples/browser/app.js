// The test harness: verify or sign a pasted request with the package, and explain a mismatch.
import {
  constructEvent,
  explainMismatch,
  sign,
  WebhookVerificationError,
} from 'elenik-webhooks';
import { sampleEvent } from 'elenik-webhooks/samples';

const $ = (id) => document.getElementById(id);
const form = $('harness');

// Codes where the signature itself failed: explainMismatch says why.
const SIGNATURE_CODES = new Set(['MISSING_SIGNATURE', 'MALFORMED_SIGNATURE', 'UNSUPPORTED_ALGORITHM', 'SIGNATURE_MISMATCH']);

$('load-sample').addEventListener('click', () => {
  $('body').value = JSON.stringify(sampleEvent($('sample').value));
  $('header').value = '';
  $('result').hidden = true;
  $('body').focus();
});

$('sign').addEventListener('click', () => {
  try {
    $('header').value = sign($('body').value, $('secret').value);
    $('result').hidden = true;
  } catch (error) {
    show({ verdict: 'Cannot sign', ok: false, error });
  }
});

form.addEventListener('submit', (submit) => {
  submit.preventDefault();
  const body = $('body').value;
  const header = $('header').value;
  const secret = $('secret').value;
  try {
    const event = constructEvent(body, header, secret);
    show({ verdict: `Verified: ${event.event}`, ok: true, event });
  } catch (error) {
    if (!(error instanceof WebhookVerificationError)) throw error;
    if (SIGNATURE_CODES.has(error.code)) {
      show({ verdict: 'Not verified', ok: false, error, findings: explainMismatch(body, header, secret) });
    } else if (error.code === 'INVALID_JSON' || error.code === 'INVALID_EVENT') {
      show({ verdict: 'Signature valid, but the event is not', ok: false, error });
    } else {
      show({ verdict: 'Cannot verify', ok: false, error });
    }
  }
});

function show({ verdict, ok, error, findings = [], event }) {
  $('verdict').textContent = `${ok ? '✓' : '✗'} ${verdict}`;
  $('verdict').className = ok ? 'ok' : 'bad';
  $('error').hidden = !error;
  $('error-code').textContent = error?.code ?? '';
  $('error-message').textContent = error?.message ?? '';
  $('diagnosis-block').hidden = findings.length === 0;
  $('diagnosis').replaceChildren(
    ...findings.map((finding) => {
      const item = document.createElement('li');
      const code = document.createElement('code');
      code.textContent = finding.code;
      const message = document.createElement('span');
      message.textContent = ` ${finding.message}`;
      const fix = document.createElement('p');
      fix.className = 'fix';
      fix.textContent = `Fix: ${finding.fix}`;
      item.append(code, message, fix);
      return item;
    }),
  );
  $('event-block').hidden = !event;
  $('event').textContent = event ? JSON.stringify(event, null, 2) : '';
  $('result').hidden = false;
}

document.body.dataset.ready = 'true';
