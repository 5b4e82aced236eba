/** Every `| S1-… | text |` row of the requirement digest, with the heading it sits under. */
export function parseRequirements(markdown) {
  const items = [];
  let section = '';
  for (const line of markdown.split('\n')) {
    const heading = /^##\s+(.*)$/.exec(line);
    if (heading) section = heading[1].trim();
    const row = /^\|\s*(S[12]-[0-9A-Z.\-/a-z]+)\s*\|\s*(.*?)\s*\|\s*$/.exec(line);
    if (row) items.push({ id: row[1], text: row[2], section });
  }
  return items;
}
