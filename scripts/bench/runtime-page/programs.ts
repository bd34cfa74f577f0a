// What a bare ONNX Runtime path runs on a model, written once for onnxruntime-web (the bare page workers) and
// onnxruntime-node (the driver's native side), so both run exactly the same feeds: the MatMul classifier's
// token ids, Silero VAD's windows with its recurrent state carried along (as the app's VAD task feeds them),
// or one image tensor (the PaddleOCR recogniser's text line).

/** The part of a Tensor both runtimes share. */
export interface TensorLike {
	readonly data: unknown;
}

/** Tensor constructors of one runtime, so this module needs neither. */
export interface TensorMaker<T extends TensorLike> {
	float32(data: Float32Array, dims: readonly number[]): T;
	int64(data: BigInt64Array, dims: readonly number[]): T;
}

export interface SessionLike<T extends TensorLike> {
	run(feeds: Record<string, T>): Promise<Record<string, T>>;
}

export type BareProgram =
	/** A text classifier: input_ids and an all-ones attention_mask in, logits out. */
	| { kind: 'classifier'; inputIds: number[] }
	/** Silero VAD v5 on 16 kHz samples: 512-sample windows with 64 samples of context; probabilities out. */
	| { kind: 'vad'; samples: number[] }
	/** One float32 tensor in, one output out (flattened). */
	| { kind: 'tensor'; input: string; dims: number[]; data: number[]; output: string };

const VAD_WINDOW = 512;
const VAD_CONTEXT = 64;
const VAD_RATE = 16_000;

function floats(tensor: TensorLike | undefined, name: string): number[] {
	const data = tensor?.data;
	if (!(data instanceof Float32Array)) throw new Error(`The model returned no float32 ${name}.`);
	return Array.from(data);
}

/**
 * One call of a prepared program. With `collect` it returns the outputs, flattened, so the paths' answers can be
 * compared; timed calls leave it off, so copying a large output (the recogniser's 265,000 floats) is not timed.
 */
export type ProgramCall = (collect?: boolean) => Promise<number[]>;

/** Prepares a program's feeds once (what a bare worker keeps between calls) and returns its call. */
export function prepareProgram<T extends TensorLike>(
	make: TensorMaker<T>,
	session: SessionLike<T>,
	program: BareProgram
): ProgramCall {
	if (program.kind === 'classifier') {
		const dims = [1, program.inputIds.length];
		const feeds = {
			input_ids: make.int64(BigInt64Array.from(program.inputIds, BigInt), dims),
			attention_mask: make.int64(new BigInt64Array(program.inputIds.length).fill(1n), dims)
		};
		return async (collect = false) => {
			const logits = (await session.run(feeds)).logits;
			return collect ? floats(logits, 'logits') : [];
		};
	}
	if (program.kind === 'tensor') {
		const feeds = { [program.input]: make.float32(Float32Array.from(program.data), program.dims) };
		return async (collect = false) => {
			const output = (await session.run(feeds))[program.output];
			return collect ? floats(output, program.output) : [];
		};
	}
	const samples = Float32Array.from(program.samples);
	const rate = make.int64(BigInt64Array.from([BigInt(VAD_RATE)]), []);
	// Silero's probabilities are part of its work (one per window, read as the app's task reads them).
	return async () => {
		const count = Math.ceil(samples.length / VAD_WINDOW);
		const probabilities: number[] = [];
		let state = make.float32(new Float32Array(2 * 128), [2, 1, 128]);
		const window = new Float32Array(VAD_CONTEXT + VAD_WINDOW);
		for (let i = 0; i < count; i++) {
			// The last 64 samples of the previous window, then the next 512 (the last one zero-padded).
			window.copyWithin(0, VAD_WINDOW);
			window.fill(0, VAD_CONTEXT);
			window.set(samples.subarray(i * VAD_WINDOW, (i + 1) * VAD_WINDOW), VAD_CONTEXT);
			const outputs = await session.run({
				input: make.float32(window.slice(), [1, window.length]),
				state,
				sr: rate
			});
			const next = outputs.stateN;
			if (!next) throw new Error('Silero VAD returned no stateN.');
			probabilities.push(floats(outputs.output, 'output')[0] ?? NaN);
			state = next;
		}
		return probabilities;
	};
}
