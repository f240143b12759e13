module.exports = { testMatch: ['<rootDir>/test/*.jest.mjs'], testEnvironment: 'node', transform: {} };
