/**
 * DESIGN.md's module rules, checked by a tool on every `npm test` instead of by review.
 * A business module is a folder under src/ other than common/ (user, product, cart, coupon,
 * order, payment, ...); src/common/ is shared plumbing that knows no module.
 */
const MODULE = '^src/(?!common/)([^/]+)/';

module.exports = {
  forbidden: [
    {
      name: 'module-boundaries',
      severity: 'error',
      comment:
        'A module reaches another only through its published events (application/events/), its facades ' +
        '(application/*.facade.ts), its Nest module class, or the errors those throw (domain/*.errors.ts); never ' +
        'its repositories, infrastructure, use cases or entities.',
      from: { path: MODULE },
      to: {
        path: '^src/(?!common/)[^/]+/',
        pathNot: [
          '^src/$1/',
          '^src/[^/]+/application/events/',
          '^src/[^/]+/[^/]+\\.module\\.ts$',
          '^src/[^/]+/domain/[^/]+\\.errors\\.ts$',
          '^src/[^/]+/application/[^/]+\\.facade\\.ts$',
        ],
      },
    },
    {
      name: 'common-knows-no-module',
      severity: 'error',
      comment: 'src/common/ is plumbing: it names no module, its consumers, codes or metrics.',
      from: { path: '^src/common/' },
      to: { path: MODULE },
    },
    {
      name: 'domain-is-framework-free',
      severity: 'error',
      comment: 'Business rules in domain/ are plain TypeScript, unit-tested without I/O.',
      from: { path: '^src/[^/]+/domain/', pathNot: '\\.spec\\.ts$' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'domain-depends-on-domain',
      severity: 'error',
      comment: "domain/ may use its own module's domain and the common error base, nothing of the layers above it.",
      from: { path: '^src/([^/]+)/domain/', pathNot: '\\.spec\\.ts$' },
      to: { dependencyTypes: ['local'], pathNot: ['^src/$1/domain/', '^src/common/errors/domain-error\\.ts$', '^src/common/domain/'] },
    },
    {
      name: 'application-below-presentation-and-infrastructure',
      severity: 'error',
      comment:
        'Inside a module, presentation → application → domain. The application layer states what it needs as ports ' +
        '(application/ports/) and never imports an adapter (infrastructure/) or a controller (presentation/).',
      from: { path: '^src/([^/]+)/application/' },
      to: { path: '^src/$1/(infrastructure|presentation)/' },
    },
    {
      name: 'presentation-never-infrastructure',
      severity: 'error',
      comment: 'Controllers call use cases; they never reach an adapter (a repository, a client) past them.',
      from: { path: '^src/([^/]+)/presentation/' },
      to: { path: '^src/$1/infrastructure/' },
    },
    {
      name: 'infrastructure-implements-ports',
      severity: 'error',
      comment:
        'An adapter implements a port of its application layer (application/ports/), in the domain types and the ' +
        'events it carries; it never calls a use case or a controller.',
      from: { path: '^src/([^/]+)/infrastructure/' },
      to: { path: ['^src/$1/presentation/', '^src/$1/application/(?!ports/|events/)'] },
    },
    {
      name: 'facades-by-suffix',
      severity: 'error',
      comment: "What a module offers other modules to call is named for it (*.facade.ts), so that a reader sees a module's border at a glance.",
      from: { path: MODULE },
      to: {
        path: '^src/(?!common/)[^/]+/application/(?!events/|ports/)[^/]+\\.ts$',
        pathNot: ['^src/$1/', '\\.facade\\.ts$'],
      },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle makes two files one unit that can only be understood, tested and changed together.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-module-cycle',
      severity: 'error',
      comment:
        'Modules depend on each other in one direction (payment on order, refund on both, …): a cycle between two ' +
        'module folders makes them one module in disguise. A command that must go the other way travels as an event.',
      scope: 'folder',
      from: { path: '^src/(?!common$)[^/]+$' },
      to: { path: '^src/(?!common$)[^/]+$', circular: true },
    },
    {
      name: 'no-orphans',
      severity: 'error',
      comment: 'A source file nothing imports and that imports nothing is dead code (entry points and specs aside).',
      from: {
        orphan: true,
        pathNot: ['(^|/)\\.[^/]+\\.(c|m)?js$', '\\.d\\.ts$', '(^|/)tsconfig\\.json$', '\\.spec\\.ts$', '^src/main\\.ts$'],
      },
      to: {},
    },
    {
      name: 'not-to-test',
      severity: 'error',
      comment: 'Production code never imports test code.',
      from: { path: '^src/', pathNot: '\\.spec\\.ts$' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(dist|dist-check)/' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
