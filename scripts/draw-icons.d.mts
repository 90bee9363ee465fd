// Types of draw-icons.mjs (a plain node script), for its test.
export const ICON_SIZES: number[];
export function iconPath(size: number): string;
export function drawIcon(size: number): Buffer;
