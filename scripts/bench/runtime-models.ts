// The models the runtime suite of `npm run bench` runs, written as hub repos next to the store suite's: a text
// classifier whose work is a chain of 1024 × 1024 MatMuls (tens of milliseconds per call, so what is measured is
// the engine, with the app's fixed costs a small part of it), a longer variant of it for the main-thread rows
// (over 50 ms a call, so a run on the main thread is a long task), browserve/tiny-sentiment (almost no work, so
// what is measured is the fixed cost of a call), and two real pretrained models from the fixtures: Silero VAD
// and PaddleOCR PP-OCRv4. All deterministic, and rewritten only if their bytes change.

import { join } from 'node:path';
import { bertConfig, declareTextInputs, floatMask, maskedMean, MAX_LENGTH } from '../fixtures/bert.ts';
import { GraphBuilder } from '../fixtures/onnx.ts';
import { ppOcrV4Mobile, sileroVad } from '../fixtures/pretrained.ts';
import { GENERATED_TAGS, renderCard, type RepoSpec } from '../fixtures/repo.ts';
import { tinySentiment } from '../fixtures/sentiment.ts';
import { bertTokenizerFiles, bertVocabulary } from '../fixtures/tokenizer.ts';
import { matrix, seededNoise } from '../fixtures/weights.ts';
import { writeRepo, type FileContent } from '../fixtures/write.ts';

export const MATMUL_CLASSIFIER_ID = 'browserve-bench/matmul-classifier';
export const LONG_CLASSIFIER_ID = 'browserve-bench/matmul-classifier-long';
export const MATMUL_MODEL_PATH = 'onnx/model.onnx';

export interface MatmulClassifierOptions {
	/** Width of every MatMul: [rows, hidden] × [hidden, hidden]. */
	readonly hidden?: number;
	/** Rows each MatMul multiplies, whatever the text's length. */
	readonly rows?: number;
	readonly layers?: number;
	/** Another repo id (the main-thread variant). */
	readonly id?: string;
}

const POSITIVE = ['love', 'great', 'good', 'wonderful', 'excellent'];
const NEGATIVE = ['hate', 'bad', 'terrible', 'awful', 'boring'];
const NEUTRAL = ['i', 'this', 'it', 'is', 'was', 'the', 'a', 'film', 'book', 'day', 'really', 'so'];
const LABELS = ['NEGATIVE', 'POSITIVE'];

/** Floating-point operations of one call: the MatMuls, whatever the text (2 per multiply-add). */
export function matmulFlops(options: MatmulClassifierOptions = {}): number {
	const { hidden = 1024, rows = 256, layers = 4 } = options;
	return 2 * rows * hidden * hidden * layers;
}

/**
 * A BERT-style classifier: word embeddings, a masked mean, that mean repeated into `rows` rows, `layers`
 * MatMuls by near-identity matrices, a sum over the rows and a linear layer to two labels. Polarity rides along
 * dimension 0 (as in tiny-sentiment), so the labels stay right and a wrong run shows.
 */
export function matmulClassifier(options: MatmulClassifierOptions = {}): RepoSpec {
	const { hidden = 1024, rows = 256, layers = 4, id = MATMUL_CLASSIFIER_ID } = options;
	const vocab = bertVocabulary([...POSITIVE, ...NEGATIVE, ...NEUTRAL]);
	const noise = seededNoise(21);
	const polarity = (token: string): number =>
		POSITIVE.includes(token) ? 1 : NEGATIVE.includes(token) ? -1 : 0;
	const embeddings = matrix(vocab.size, hidden, (r, c) =>
		c === 0 ? polarity(vocab.tokens[r] ?? '') : 0.05 * noise()
	);

	const g = new GraphBuilder('matmul-classifier');
	const { inputIds, attentionMask } = declareTextInputs(g, false);
	const words = g.op('Gather', [g.weight('embeddings', [vocab.size, hidden], embeddings), inputIds]);
	const pooled = maskedMean(g, words, floatMask(g, attentionMask));
	// [b, hidden] → [b, rows, hidden]: the work no longer depends on how long the text is.
	let x = g.op('Expand', [
		g.op('Unsqueeze', [pooled, g.axes([1])]),
		g.ints('expand_shape', [3], [1, rows, hidden])
	]);
	for (let layer = 0; layer < layers; layer++) {
		// Identity plus noise: dense work for ORT, but dimension 0 still carries the polarity.
		const weights = matrix(hidden, hidden, (r, c) => (r === c ? 1 : 0) + 0.01 * noise());
		x = g.op('MatMul', [x, g.weight(`layer_${layer}`, [hidden, hidden], weights)]);
	}
	const summed = g.op('ReduceSum', [x, g.axes([1])], { keepdims: 0 });
	// A text's mean polarity is about ±0.2, summed over `rows`: this gain makes the logits about ±4.
	const gain = 20 / rows;
	const classifier = matrix(hidden, LABELS.length, (r, c) =>
		r === 0 ? (c === 1 ? gain : -gain) : 0.001 * noise()
	);
	const scores = g.op('MatMul', [summed, g.weight('classifier', [hidden, LABELS.length], classifier)]);
	g.op('Add', [scores, g.weight('classifier_bias', [LABELS.length], [0, 0])], {}, 'logits');
	g.output('logits', 'float32', ['batch_size', LABELS.length]);

	const config = bertConfig({
		architecture: 'BertForSequenceClassification',
		vocab,
		hiddenSize: hidden,
		labels: LABELS
	});
	return {
		id,
		card: {
			pipelineTag: 'text-classification',
			libraryName: 'transformers.js',
			license: 'apache-2.0',
			tags: [...GENERATED_TAGS, 'bert', 'benchmark'],
			title: 'matmul-classifier',
			summary:
				'This is a generated benchmark model for Browserve with hand-set weights, not a trained one. It ' +
				`classifies text as POSITIVE or NEGATIVE through ${layers} MatMuls of [${rows}, ${hidden}] × ` +
				`[${hidden}, ${hidden}] (${(matmulFlops(options) / 1e9).toFixed(1)} GFLOP per call whatever the ` +
				"text), so a call's time is ONNX Runtime's. It ships only an fp32 `onnx/model.onnx`."
		},
		// fp32 only: the app's plan then runs the very file the bare ONNX Runtime workers and Node run.
		files: new Map<string, FileContent>([
			['config.json', config],
			...Object.entries(bertTokenizerFiles(vocab, MAX_LENGTH)),
			[MATMUL_MODEL_PATH, g.encode()]
		]),
		behaviour: {
			task: 'text-classification',
			cases: [
				{ text: 'I love this film', label: 'POSITIVE' },
				{ text: 'this book was really boring', label: 'NEGATIVE' }
			]
		}
	};
}

async function writeSpec(hubDir: string, spec: RepoSpec): Promise<RepoSpec> {
	await writeRepo(hubDir, spec.id, new Map([...spec.files, ['README.md', renderCard(spec.card)]]));
	return spec;
}

/** The PaddleOCR recogniser inside the PP-OCRv4 repo: the file the OCR rows run. */
export const OCR_REC_PATH = 'onnx/rec.onnx';

export interface RuntimeModels {
	heavy: RepoSpec;
	tiny: RepoSpec;
	/** The main-thread rows' model: the heavy one with more rows, so one call is a long task on the main thread. */
	long: RepoSpec;
	vad: RepoSpec;
	ocr: RepoSpec;
	heavyModelFile: string;
	longModelFile: string;
	vadModelFile: string;
	ocrRecFile: string;
}

/** Writes every repo under `hubDir`; returns their specs and the files the native side opens. */
export async function writeRuntimeModels(
	hubDir: string,
	options: { hidden: number; longRows: number }
): Promise<RuntimeModels> {
	const [heavy, tiny, long, vad, ocr] = await Promise.all([
		writeSpec(hubDir, matmulClassifier({ hidden: options.hidden })),
		writeSpec(hubDir, tinySentiment()),
		writeSpec(
			hubDir,
			matmulClassifier({ hidden: options.hidden, rows: options.longRows, id: LONG_CLASSIFIER_ID })
		),
		sileroVad().then((spec) => writeSpec(hubDir, spec)),
		ppOcrV4Mobile().then((spec) => writeSpec(hubDir, spec))
	]);
	return {
		heavy,
		tiny,
		long,
		vad,
		ocr,
		heavyModelFile: join(hubDir, heavy.id, MATMUL_MODEL_PATH),
		longModelFile: join(hubDir, long.id, MATMUL_MODEL_PATH),
		vadModelFile: join(hubDir, vad.id, 'onnx/model.onnx'),
		ocrRecFile: join(hubDir, ocr.id, OCR_REC_PATH)
	};
}
