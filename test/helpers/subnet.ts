/** A random 127.a.b block, so parallel test files never compete for the same instance address. */
export function testSubnet(): string {
  return `127.${10 + Math.floor(Math.random() * 200)}.${Math.floor(Math.random() * 250)}`;
}
