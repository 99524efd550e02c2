/**
 * The architecture check run by `npm test`: imports flow domain ← machines ← harness, without circles,
 * and nothing imports a command (an entry point at the top of harness/).
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A circle of imports has no layer order and loads in an order that depends on who came first.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'domain/ is pure data and rules: it imports nothing of the project outside itself.',
      from: { path: '^domain/' },
      to: { path: '^(machines|harness|test|scenarios)/' },
    },
    {
      name: 'machines-import-only-domain',
      severity: 'error',
      comment: 'machines/ sequence the domain; the harness drives them, never the other way round.',
      from: { path: '^machines/' },
      to: { path: '^(harness|test|scenarios)/' },
    },
    {
      name: 'machines-run-the-economy-not-the-benchmark',
      severity: 'error',
      comment: 'domain/benchmark/ (scenarios, validation, statistics of runs) is the harness\'s; the machines and the economy never need it.',
      from: { path: '^(machines|domain/(economy|population|codec))/' },
      to: { path: '^domain/benchmark/' },
    },
    {
      name: 'a-folder-is-reached-through-its-face',
      severity: 'error',
      comment: 'Each harness/ folder says in its index.ts what the rest of the harness may use; the rest of it is its own.',
      from: { path: '^harness/([^/]+)' },
      to: { path: '^harness/[^/]+/', pathNot: ['^harness/$1/', '^harness/[^/]+/index\\.ts$'] },
    },
    {
      name: 'no-import-of-an-entry-point',
      severity: 'error',
      comment: 'harness/{run,build,simulate,bench,paths}.ts are commands; what they share lives in a folder below.',
      from: { path: '^(domain|machines|harness)/' },
      to: { path: '^harness/[^/]+\\.ts$' },
    },
    {
      name: 'loading-does-not-load-the-checkers',
      severity: 'error',
      comment: 'The constructor needs only the names the validator knows (domain/benchmark/validation-vocabulary.ts).',
      from: { path: '^harness/scenarios/' },
      to: { path: '^harness/(validate|judges|replay|report)/' },
    },
    {
      name: 'judging-and-reporting-do-not-reach-back-into-replay',
      severity: 'error',
      comment:
        'Replay makes a trace; judges, validation and reports work on any trace, recorded or live. Judging has its home in judges/, and what names the agent under test is the domain\'s.',
      from: { path: '^harness/(judges|validate|report)/' },
      to: { path: '^harness/replay/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing is a typo or a missing file.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.mjs$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Packages such as the MCP SDK are reached through their `exports` subpaths.
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.json'], exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
