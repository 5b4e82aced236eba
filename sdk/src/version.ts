/** Sent in the User-Agent; test/client.test.ts keeps it equal to package.json's version. */
export const SDK_VERSION = '0.1.0';
