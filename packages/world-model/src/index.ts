export { initBackend, currentBackend, isBackendName, BACKEND_NAMES, type BackendInfo, type BackendName, type BackendRequest } from './backend.js';
export { useMatMulGradient, stockBatchMatMulGradient, explicitTransposeBatchMatMulGradient, type MatMulGradient } from './matmul-gradient.js';
