// ONNX Runtime's wasm and its JavaScript glue, served by the app itself (never a CDN: the app works offline).
// Imported by the page so they are part of the app's build manifest, which the service worker precaches,
// and handed to each worker, which points transformers.js at them.
import wasm from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import mjs from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';

export const ORT_FILES = { wasm, mjs } as const;
