// Framework serves the browser builds of tfjs by path; they carry no type declarations of
// their own, so borrow those of the packages they are built from.
declare module "@tensorflow/tfjs/dist/tf.fesm.js" {
  export * from "@tensorflow/tfjs";
}
declare module "@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.fesm.js" {
  export * from "@tensorflow/tfjs-backend-wasm";
}
declare module "@tensorflow/tfjs-backend-webgpu/dist/tf-backend-webgpu.fesm.js" {
  export * from "@tensorflow/tfjs-backend-webgpu";
}
declare module "markdown-it-texmath" {
  const texmath: any;
  export default texmath;
}
declare module "observablehq:stdlib" {
  export const FileAttachment: (name: string) => {
    json(): Promise<any>;
    text(): Promise<string>;
    arrayBuffer(): Promise<ArrayBuffer>;
    href: string;
  };
}
