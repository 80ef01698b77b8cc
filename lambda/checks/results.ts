/**
 * The building blocks every check shares, re-exported from the path model that uses them too:
 * resources, stage keys, and the results a check answers with (PASS / WARN / FAIL / ERROR / SKIPPED).
 */
export * from '../path/resources';
