/** The shared copy button (components/copy-button.tsx), under the name this feature imports. */
export { CopyButton } from "@/components/copy-button";
