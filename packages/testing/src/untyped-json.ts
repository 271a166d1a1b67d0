/**
 * A parsed JSON body or event that a test reads without naming its type. The
 * tests read the API's answers freely and assert on the values, which is
 * where a wrong shape fails; giving each of the ~750 such reads a type is a
 * job of its own. Name the type where one exists: `api.get<Agent>(...)`.
 */
// biome-ignore lint/suspicious/noExplicitAny: the test client's one unchecked type, explained above
export type UntypedJson = any;
