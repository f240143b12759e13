// The suite through `import`, as ESM users and bundlers load the package.
import * as api from 'elenik-webhooks';
import suite from './suite.cjs';

suite.run(api, 'import');
