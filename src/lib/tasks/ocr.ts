// OCR with PaddleOCR's PP-OCRv4 mobile models: an image in, the text in it out, box by box and as lines a
// person can copy. Not a transformers.js pipeline: the task's own OnnxPipeline runs three graphs in turn, the
// detector (a text probability map, turned into boxes), the direction classifier (is a crop upside down?) and the
// recogniser (CTC over PaddleOCR's character list). The image comes in as image-classification's does.

import type { OnnxModel, OnnxPipeline, OnnxSession, TaskSpec } from './types';
import { decodedImage, drawSamples, imageOnlyInput, type ImageSource, type RgbaImage } from './image-source';
import {
	ctcDecode,
	DETECTION_DEFAULTS,
	findBoxes,
	inkGaps,
	parseCharacters,
	readingOrder,
	scaleBox,
	spaceWords
} from './ocr-decode';
import {
	cropImage,
	detectionSize,
	luminance,
	DETECTION_NORMALISATION,
	rotateHalf,
	rotateQuarter,
	SYMMETRIC_NORMALISATION,
	toPlanes,
	type Box
} from './ocr-image';
import { OCR_SAMPLES, ocrSampleImage, type OcrSampleName } from './ocr-sample';

export type OcrInput = ImageSource<OcrSampleName>;

/** One box of text the model found. */
export interface OcrRegion {
	text: string;
	/** The recogniser's mean confidence in the characters it read (0–1). */
	score: number;
	/** Where the text is, in the image's pixels. */
	box: Box;
	/** The direction classifier found it upside down, and it was read turned. */
	rotated: boolean;
}

export interface OcrOutput {
	width: number;
	height: number;
	/** Every region's text, in reading order: regions on one line joined by a space, lines by a newline. */
	text: string;
	/** The regions in reading order. */
	regions: OcrRegion[];
	/**
	 * The RGBA bytes of the image that was read, for the page to draw the text over: a bare buffer, which crosses
	 * by transfer and which JSON does not spell out as millions of numbers.
	 */
	rgba: ArrayBuffer;
}

/** What the task's pipeline does: text regions of an image, in reading order. */
export interface OcrPipe {
	read(image: RgbaImage, signal: AbortSignal): Promise<OcrRegion[]>;
	dispose(): Promise<void>;
}

const FILES = {
	detector: 'onnx/det.onnx',
	recogniser: 'onnx/rec.onnx',
	classifier: 'onnx/cls.onnx',
	characters: 'ppocr_keys_v1.txt'
} as const;

const REC_HEIGHT = 48;
/** The recogniser's narrowest input (PaddleOCR's 3×48×320), and a cap so a huge crop cannot exhaust memory. */
const REC_MIN_WIDTH = 320;
const REC_MAX_WIDTH = 48 * 40;
const CLS_WIDTH = 192;
/** The classifier must be this sure before a crop is turned (PaddleOCR's cls_thresh). */
const CLS_THRESHOLD = 0.9;
/** A blank run of columns at least this many line heights wide separates words. */
const WORD_GAP = 0.3;
/** Text with a lower recognition score is dropped as noise (PaddleOCR's drop_score). */
const DROP_SCORE = 0.5;

function only(outputs: Record<string, { dims: readonly number[]; data: unknown }>, graph: string) {
	const tensor = Object.values(outputs)[0];
	if (!tensor || !(tensor.data instanceof Float32Array)) {
		throw new TypeError(`The ${graph} did not return a float tensor.`);
	}
	return { dims: tensor.dims, data: tensor.data };
}

async function ocrPipe(model: OnnxModel): Promise<OcrPipe> {
	const [detector, classifier, recogniser, characterList] = await Promise.all([
		model.session(FILES.detector),
		model.session(FILES.classifier),
		model.session(FILES.recogniser),
		model.text(FILES.characters)
	]);
	const characters = parseCharacters(characterList);
	const { Tensor } = model.ort;
	const run = async (session: OnnxSession, graph: string, planes: Float32Array, dims: number[]) => {
		const result = await session.run({ [session.inputNames[0] ?? 'x']: new Tensor('float32', planes, dims) });
		return only(result, graph);
	};

	const detect = async (image: RgbaImage): Promise<Box[]> => {
		const size = detectionSize(image.width, image.height);
		const planes = toPlanes(image, size.width, size.height, DETECTION_NORMALISATION);
		const map = await run(detector, 'text detector', planes, [1, 3, size.height, size.width]);
		const [mapHeight = 0, mapWidth = 0] = map.dims.slice(-2);
		return findBoxes(map.data, mapWidth, mapHeight, DETECTION_DEFAULTS).map((box) =>
			scaleBox(box, image.width / mapWidth, image.height / mapHeight)
		);
	};

	const upsideDown = async (crop: RgbaImage): Promise<boolean> => {
		const width = Math.min(CLS_WIDTH, Math.ceil((REC_HEIGHT * crop.width) / crop.height));
		const planes = toPlanes(crop, width, REC_HEIGHT, SYMMETRIC_NORMALISATION, CLS_WIDTH);
		const { data } = await run(classifier, 'direction classifier', planes, [1, 3, REC_HEIGHT, CLS_WIDTH]);
		return (data[1] ?? 0) > (data[0] ?? 0) && (data[1] ?? 0) > CLS_THRESHOLD;
	};

	const recognise = async (crop: RgbaImage) => {
		const width = Math.min(REC_MAX_WIDTH, Math.ceil((REC_HEIGHT * crop.width) / crop.height));
		const canvas = Math.max(REC_MIN_WIDTH, width);
		const planes = toPlanes(crop, width, REC_HEIGHT, SYMMETRIC_NORMALISATION, canvas);
		const { dims, data } = await run(recogniser, 'text recogniser', planes, [1, 3, REC_HEIGHT, canvas]);
		const [steps = 0, classes = 0] = dims.slice(-2);
		if (classes !== characters.length) {
			throw new TypeError(
				`The recogniser has ${classes} classes, but ${FILES.characters} gives ${characters.length} (with blank and space).`
			);
		}
		const decoded = ctcDecode(data, steps, classes, characters);
		// Blank columns wider than a third of the line's height are word gaps; steps cover `canvas` columns.
		const toSteps = (width / crop.width) * (steps / canvas);
		const gaps = inkGaps(luminance(crop), crop.width, crop.height, WORD_GAP * crop.height).map(
			([from, to]): [number, number] => [from * toSteps, to * toSteps]
		);
		return { text: spaceWords(decoded, gaps), score: decoded.score };
	};

	return {
		async read(image, signal) {
			const regions: OcrRegion[] = [];
			for (const box of await detect(image)) {
				if (signal.aborted) throw signal.reason;
				let crop = cropImage(image, box);
				// Tall crops hold vertical text: PaddleOCR reads them turned a quarter.
				if (crop.height >= 1.5 * crop.width) crop = rotateQuarter(crop);
				const rotated = await upsideDown(crop);
				const { text, score } = await recognise(rotated ? rotateHalf(crop) : crop);
				if (text.trim() === '' || score < DROP_SCORE) continue;
				const rounded = (value: number) => Math.round(value * 10) / 10;
				regions.push({
					text,
					score,
					box: {
						x: rounded(box.x),
						y: rounded(box.y),
						width: rounded(box.width),
						height: rounded(box.height)
					},
					rotated
				});
			}
			return readingOrder(regions).flat();
		},
		dispose: () => model.release()
	};
}

export const ocrPipeline: OnnxPipeline<OcrPipe> = {
	kind: 'onnx',
	files: () => Object.values(FILES),
	devices: ['wasm', 'webgpu'],
	load: ocrPipe
};

export const ocr = {
	id: 'ocr',
	title: 'Optical Character Recognition',
	summary: 'Finds the text in an image and reads it, box by box.',
	pipeline: ocrPipeline,
	hubTags: ['image-to-text'],
	modality: 'cv',
	defaultModels: {
		huggingface: 'PaddlePaddle/PP-OCRv4-mobile',
		bundled: 'PaddlePaddle/PP-OCRv4-mobile'
	},
	params: ['image', 'sample'],
	examples: [
		// The first is the warm-up: a line drawn in code, which the real models read exactly.
		{ image: ocrSampleImage('hello'), url: '', sample: 'hello' },
		{ image: ocrSampleImage('door'), url: '', sample: 'door' }
	],
	...imageOnlyInput(drawSamples(OCR_SAMPLES, ocrSampleImage)),
	interruptible: true,
	async run(pipe, input, context) {
		const image = decodedImage(input.image, 'read text in');
		const regions = await pipe.read(image, context.signal);
		const lines = readingOrder(regions).map((line) => line.map((region) => region.text.trim()).join(' '));
		return {
			width: image.width,
			height: image.height,
			text: lines.join('\n'),
			regions,
			rgba: image.data.slice().buffer
		};
	}
} as const satisfies TaskSpec<OcrInput, OcrOutput, never, OcrPipe>;
