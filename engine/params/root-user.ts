/**
 * The one "is this root?" rule for a Docker `USER` / `Config.User` string (`root`, `0`, `0:0`,
 * `root:staff`, or empty, which means the image's default: root). A user name other than
 * `root` whose uid is 0 cannot be told from the string alone; a check that can run `id -u` in
 * the container asks that instead.
 */
export function isRootUser(user: string): boolean {
  const name = user.trim().split(':')[0] ?? '';
  return name === '' || name === 'root' || name === '0';
}
