// Integration and e2e suites talk to a real broker and database; jest's per-project
// `testTimeout` is ignored under `projects`, so the budget is set here.
jest.setTimeout(120_000);
