// The widget's built script, imported as a Text module (wrangler.toml `[[rules]]`): its source as a string.
declare module "*/dist/widget/v1.js" {
  const source: string;
  export default source;
}
