// Types of the file scripts/build-kernel.ts generates (the kernel's bytes, base64; not committed).
/** The kernel built with WebAssembly SIMD. */
export declare const simd: string;
/** The kernel built with relaxed SIMD as well (fused multiply-add). */
export declare const relaxed: string;
