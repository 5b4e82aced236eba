/**
 * The page's Content-Security-Policy allows a <style> element only with the nonce the server put in
 * this response. antd's own style sheets carry it (ConfigProvider `csp`); a few helpers of its
 * rc-component dependencies (the scroll lock of drawers and modals, the scroll-bar measurement)
 * insert theirs without one, and the browser would refuse them. Style elements that the console's
 * scripts insert get the nonce here. Markup injected through HTML parsing never passes through
 * these two methods, so a <style> smuggled in that way stays refused.
 */
export function nonceScriptedStyles(nonce: string): void {
  const stamp = (node: Node) => {
    if (node instanceof HTMLStyleElement && !node.nonce) node.nonce = nonce;
  };
  const { appendChild, insertBefore } = Node.prototype;
  Node.prototype.appendChild = function <T extends Node>(this: Node, node: T): T {
    stamp(node);
    return appendChild.call(this, node) as T;
  };
  Node.prototype.insertBefore = function <T extends Node>(this: Node, node: T, child: Node | null): T {
    stamp(node);
    return insertBefore.call(this, node, child) as T;
  };
}
