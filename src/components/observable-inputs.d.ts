// Type declarations for the parts of @observablehq/inputs and htl that the TypeScript components
// use (neither package ships its own). Each input is a form element with a `value` that fires
// `input` when the reader changes it.
declare module "@observablehq/inputs" {
  export type Input<T> = HTMLFormElement & {value: T};
  interface Common {
    label?: string | Node;
    disabled?: boolean;
    width?: number | string;
  }
  export function button(content: string | Node | [string | Node, (value: any) => any][], options?: Common & {value?: unknown; reduce?: (value: any) => any; disabled?: boolean | string[]}): Input<any>;
  export function radio<T>(data: readonly T[], options?: Common & {value?: T; format?: (d: T) => string | Node}): Input<T>;
  export function range(extent: [number, number], options?: Common & {value?: number; step?: number; format?: (d: number) => string}): Input<number>;
  export function select<T>(data: readonly T[], options?: Omit<Common, "disabled"> & {value?: T; format?: (d: T) => string; disabled?: boolean | readonly T[]}): Input<T>;
  export function textarea(options?: Common & {value?: string; placeholder?: string; rows?: number; submit?: string | boolean; monospace?: boolean; spellcheck?: boolean}): Input<string>;
  export function file(options?: Common & {accept?: string; multiple?: boolean}): Input<File | null>;
  export function text(options?: Common & {value?: string; placeholder?: string; spellcheck?: boolean; autocomplete?: string | boolean; maxlength?: number; validate?: (input: HTMLInputElement) => boolean}): Input<string>;
  export function form<T extends Record<string, Input<any>>>(inputs: T, options?: {template?: (inputs: T) => HTMLElement}): Input<{[K in keyof T]: T[K]["value"]}>;
}
declare module "htl" {
  export function html(strings: TemplateStringsArray, ...values: unknown[]): any;
  export function svg(strings: TemplateStringsArray, ...values: unknown[]): any;
}
