// The any-ONNX page: share links both ways (examples and fast-check-generated fills), bad values reported by the
// parameter and the input they concern, JSON / image / audio turned into typed tensors with their shapes checked,
// the rendering decision for outputs (top-k, image, table), and the task's pipeline on the real Silero VAD v5
// graph in onnxruntime-web's Node build: its inputs and outputs as the session reports them, and a real run.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { selectOnnxFiles } from '$lib/runtime/onnx-model';
import { useOnnxModels } from './testing/onnx-models';
import { buildCatalog } from './catalog';
import type { RgbaImage } from './image-source';
import { defaultGraph, fillOfKind, onnx, onnxPipeline, type OnnxInput } from './onnx';
import { audioFill, imageFill, type TensorFill } from './onnx-fill';
import { allValues, summariseTensor, tensorImage, topK, viewOf } from './onnx-outputs';
import {
	buildTensors,
	describeValue,
	fromHalf,
	imageValues,
	parseJsonValues,
	toHalf,
	type ValueInfo
} from './onnx-tensors';
import type { ParamIssue } from './types';

const task = onnx;

function parse(query: string | Record<string, string>): { input: OnnxInput; issues: ParamIssue[] } {
	const issues: ParamIssue[] = [];
	return { input: task.parseInput(new URLSearchParams(query), issues), issues };
}

const blank: OnnxInput = {
	repo: '',
	file: '',
	localName: '',
	fills: {},
	dims: {},
	inspect: false,
	io: null
};

const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/);
// JSON has no -0, and a link is JSON: -0 comes back as 0, which is the same value to a tensor.
const finite = fc
	.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 })
	.map((value) => value + 0);
const webUrl = fc.webUrl({ validSchemes: ['http', 'https'], withQueryParameters: true });
const fill: fc.Arbitrary<TensorFill> = fc.oneof(
	finite.map((value) => ({ kind: 'fill' as const, value })),
	fc.record({
		kind: fc.constant('json' as const),
		text: fc.array(fc.integer(), { minLength: 1, maxLength: 6 }).map((values) => JSON.stringify(values)),
		shape: fc.constant('')
	}),
	fc
		.record({
			url: fc.oneof(fc.constant(''), webUrl),
			width: fc.integer({ min: 1, max: 4096 }),
			height: fc.integer({ min: 1, max: 4096 }),
			mean: fc.tuple(finite, finite, finite),
			std: fc.tuple(...[0, 1, 2].map(() => finite.filter((value) => value !== 0))) as fc.Arbitrary<
				[number, number, number]
			>,
			layout: fc.constantFrom('nchw' as const, 'nhwc' as const),
			order: fc.constantFrom('rgb' as const, 'bgr' as const)
		})
		.map((settings) => imageFill(settings)),
	fc
		.record({ url: fc.oneof(fc.constant(''), webUrl), rate: fc.integer({ min: 1000, max: 192_000 }) })
		.map((settings) => audioFill(settings))
);
const linkInput: fc.Arbitrary<OnnxInput> = fc.record({
	repo: fc.constantFrom('', 'snakers4/silero-vad', 'org/model-name', 'local/ab12'),
	file: fc.constantFrom('', 'onnx/model.onnx', 'model_q8.onnx', 'a/b/c.onnx'),
	localName: fc.constant(''),
	fills: fc.dictionary(name, fill, { maxKeys: 4 }),
	dims: fc.dictionary(
		fc.oneof(
			name,
			name.map((n) => `${n}[1]`)
		),
		fc.integer({ min: 0, max: 4096 }),
		{ maxKeys: 3 }
	),
	inspect: fc.constant(false),
	io: fc.constant(null)
});

describe('onnx share links', () => {
	it('round-trips every example, naming the hub repo, the file and the input settings', () => {
		for (const example of task.examples)
			expect(parse(task.serializeInput(example))).toEqual({ input: example, issues: [] });
		const link = task.serializeInput(task.examples[0]!);
		expect(link.repo).toBe('snakers4/silero-vad');
		expect(link.file).toBe('onnx/model.onnx');
		expect(JSON.parse(link.inputs!)).toEqual({
			input: { fill: 0 },
			state: { fill: 0 },
			sr: { json: '16000' }
		});
		expect(JSON.parse(link.dims!)).toEqual({ 'input[1]': 576 });
	});

	it('round-trips any input a link can carry', () => {
		fc.assert(
			fc.property(linkInput, (input) => {
				expect(parse(task.serializeInput(input))).toEqual({ input, issues: [] });
			})
		);
	});

	it('leaves pixels and samples of local files out of links, keeping their settings', () => {
		const image: RgbaImage = { width: 1, height: 1, data: new Uint8ClampedArray(4) };
		const input: OnnxInput = {
			...blank,
			repo: 'a/b',
			file: 'm.onnx',
			fills: { pixels: imageFill({ image, width: 32, height: 16, layout: 'nhwc' }) }
		};
		expect(JSON.parse(task.serializeInput(input).inputs!)).toEqual({
			pixels: { image: { size: [32, 16], layout: 'nhwc' } }
		});
		expect(parse(task.serializeInput(input)).input.fills.pixels).toEqual(
			imageFill({ width: 32, height: 16, layout: 'nhwc' })
		);
	});

	it('reports bad values by parameter, and bad inputs by their name', () => {
		const cases: [Record<string, string>, string, RegExp][] = [
			[{ repo: 'javascript:alert(1)' }, 'repo', /not a model id/],
			[{ file: '../secret.onnx' }, 'file', /path of an \.onnx file/],
			[{ file: 'model.bin' }, 'file', /path of an \.onnx file/],
			[{ inputs: '{"sr":' }, 'inputs', /does not parse/],
			[{ inputs: '[1]' }, 'inputs', /JSON object/],
			[{ inputs: '{"sr":{"json":"[1,"}}' }, 'inputs', /Input "sr": the values are not valid JSON/],
			[{ inputs: '{"x":{"json":"[[1],[2,3]]"}}' }, 'inputs', /Input "x": the nested arrays are ragged/],
			[
				{ inputs: '{"x":{"json":"[1,2,3]","shape":"2,2"}}' },
				'inputs',
				/Input "x": the shape \[2, 2\] holds 4/
			],
			[{ inputs: '{"x":{"fill":"zero"}}' }, 'inputs', /Input "x": "fill" must be a number/],
			[{ inputs: '{"x":{"image":{"size":[0,5]}}}' }, 'inputs', /Input "x": the size must be/],
			[{ inputs: '{"x":{"image":{"url":"file:///etc/passwd"}}}' }, 'inputs', /Input "x": its image address/],
			[{ inputs: '{"x":{"audio":{"rate":5}}}' }, 'inputs', /Input "x": the sample rate/],
			[{ inputs: '{"x":{"magic":1}}' }, 'inputs', /Input "x": must say how it is filled/],
			[{ dims: '{"batch":-1}' }, 'dims', /Dimension "batch" must be a whole number/]
		];
		for (const [query, param, message] of cases) {
			const { issues } = parse(query);
			expect(issues, JSON.stringify(query)).toEqual([
				expect.objectContaining({ param, message: expect.stringMatching(message) })
			]);
		}
	});

	it('says why a form cannot run, naming the input', () => {
		expect(task.whyNotRunnable(blank)).toMatch(/hub repo/);
		expect(task.whyNotRunnable(task.examples[0]!)).toBeNull();
		const io = { inputs: [{ name: 'pixels', type: 'float32', shape: [1, 3, 4, 4] }], outputs: [] };
		const base = { ...blank, repo: 'a/b', file: 'm.onnx', io };
		expect(task.whyNotRunnable(base)).toBe('Input "pixels" has no values yet; fill it.');
		expect(task.whyNotRunnable({ ...base, fills: { pixels: imageFill() } })).toBe(
			'Input "pixels": choose an image for it.'
		);
		expect(
			task.whyNotRunnable({ ...base, fills: { pixels: { kind: 'json', text: '[1, 2', shape: '' } } })
		).toMatch(/^Input "pixels": the values are not valid JSON/);
	});

	it('is listed on the home page with its own name and summary', () => {
		const entry = buildCatalog()
			.get('multimodal')
			?.find((item) => item.id === 'onnx');
		expect(entry).toMatchObject({ name: 'Any ONNX model', available: true });
		expect(entry?.summary).toMatch(/ONNX graph/);
	});

	it('names the model it loads: the repo and the one graph', () => {
		expect(task.modelOf(task.examples[0]!)).toEqual({
			model: 'snakers4/silero-vad',
			graph: 'onnx/model.onnx'
		});
		expect(task.modelOf(blank)).toBeNull();
	});
});

describe('onnx tensors from the form', () => {
	const info = (name: string, type: string, shape: ValueInfo['shape']): ValueInfo => ({ name, type, shape });
	const json = (text: string, shape = ''): TensorFill => ({ kind: 'json', text, shape });

	it('names unnamed dynamic dimensions after their input and axis', () => {
		expect(
			describeValue({ name: 'state', isTensor: true, type: 'float32', shape: [2, 4294967295, 128] })
		).toEqual(info('state', 'float32', [2, 'state[1]', 128]));
		expect(
			describeValue({ name: 'ids', isTensor: true, type: 'int64', shape: ['batch', 'sequence'] })
		).toEqual(info('ids', 'int64', ['batch', 'sequence']));
		expect(describeValue({ name: 'seq', isTensor: false })).toEqual(info('seq', 'non-tensor', null));
	});

	it('reads numbers, nested arrays and flat lists', () => {
		expect(parseJsonValues('16000')).toEqual({ values: [16000], shape: [] });
		expect(parseJsonValues('[[1, 2], [3, 4], [5, 6]]')).toEqual({
			values: [1, 2, 3, 4, 5, 6],
			shape: [3, 2]
		});
		expect(parseJsonValues('[true, false]')).toEqual({ values: [1, 0], shape: [2] });
		expect(parseJsonValues('[1, "a"]')).toBe('"a" is not a number.');
	});

	it('makes typed data with the shape from nesting, a given shape, or the graph', () => {
		const inputs = [
			info('ids', 'int64', ['batch', 'sequence']),
			info('mask', 'int64', ['batch', 'sequence']),
			info('state', 'float32', [2, 'batch', 3]),
			info('rate', 'int64', [])
		];
		const tensors = buildTensors(
			inputs,
			{
				ids: json('[[101, 7, 102]]'),
				mask: { kind: 'fill', value: 1 },
				state: json('[1,2,3,4,5,6]'),
				rate: json('16000')
			},
			{}
		);
		expect(tensors.ids).toEqual({ type: 'int64', data: BigInt64Array.from([101n, 7n, 102n]), dims: [1, 3] });
		// The mask takes the batch and sequence the ids fixed.
		expect(tensors.mask).toEqual({ type: 'int64', data: BigInt64Array.from([1n, 1n, 1n]), dims: [1, 3] });
		// A flat list is reshaped to the graph's shape when that leaves one way to do it.
		expect(tensors.state?.dims).toEqual([2, 1, 3]);
		expect(tensors.state?.data).toEqual(Float32Array.from([1, 2, 3, 4, 5, 6]));
		expect(tensors.rate).toEqual({ type: 'int64', data: BigInt64Array.from([16000n]), dims: [] });
		expect(
			buildTensors([info('x', 'float32', [2, 'n'])], { x: json('[1,2,3,4]', '2,2') }, {}).x?.dims
		).toEqual([2, 2]);
		expect(
			buildTensors([info('x', 'float32', ['n'])], { x: { kind: 'fill', value: 2 } }, { n: 3 }).x?.data
		).toEqual(Float32Array.from([2, 2, 2]));
	});

	it('refuses values that do not fit, naming the input', () => {
		const cases: [ValueInfo[], Record<string, TensorFill>, Record<string, number>, string][] = [
			[
				[info('sr', 'int64', [])],
				{ sr: json('16000.5') },
				{},
				'Input "sr": 16000.5 at position 0 is not a whole number (the input is int64).'
			],
			[
				[info('x', 'uint8', [2])],
				{ x: json('[1, 300]') },
				{},
				'Input "x": 300 at position 1 is out of range for uint8 (0 to 255).'
			],
			[
				[info('x', 'float32', [2, 3])],
				{ x: json('[[1,2],[3,4]]') },
				{},
				'Input "x": dimension 1 is 2, but the model needs 3 (shape [2, 3]).'
			],
			[
				[info('x', 'float32', [2, 3])],
				{ x: json('[1,2,3]') },
				{},
				'Input "x": the values have shape [3] but the model takes 2 dimensions [2, 3].'
			],
			[
				[info('x', 'float32', ['n'])],
				{ x: json('[1,2,3]') },
				{ n: 2 },
				'Input "x": dimension 0 (n) is 3, but n is set to 2.'
			],
			[
				[info('a', 'float32', ['n']), info('b', 'float32', ['n'])],
				{ a: json('[1,2]'), b: json('[1,2,3]') },
				{},
				'Input "b": dimension 0 (n) is 3, but input "a" makes it 2.'
			],
			[[info('x', 'float32', [1])], {}, {}, 'Input "x": it has no values yet; fill it.'],
			[
				[info('x', 'string', [1])],
				{ x: json('[1]') },
				{},
				'Input "x": string inputs cannot be filled on this page.'
			],
			[
				[info('x', 'float32', [1, 3, 4, 4])],
				{ x: imageFill() },
				{},
				'Input "x": choose an image for it (or fill it another way).'
			]
		];
		for (const [inputs, fills, dims, message] of cases) {
			expect(() => buildTensors(inputs, fills, dims), message).toThrow(message);
		}
	});

	it('turns an image into a normalised tensor in either layout and channel order', () => {
		// Two pixels: pure red and pure blue, kept at their size.
		const image: RgbaImage = {
			width: 2,
			height: 1,
			data: new Uint8ClampedArray([255, 0, 0, 255, 0, 0, 255, 255])
		};
		const settings = {
			image,
			width: 2,
			height: 1,
			mean: [0.5, 0.5, 0.5] as [number, number, number],
			std: [0.5, 0.5, 0.5] as [number, number, number]
		};
		expect(Array.from(imageValues(image, imageFill(settings), 3))).toEqual([1, -1, -1, -1, -1, 1]);
		expect(Array.from(imageValues(image, imageFill({ ...settings, layout: 'nhwc' }), 3))).toEqual([
			1, -1, -1, -1, -1, 1
		]);
		expect(Array.from(imageValues(image, imageFill({ ...settings, order: 'bgr' }), 3))).toEqual([
			-1, 1, -1, -1, 1, -1
		]);
		// Mean and std are per channel in RGB order, whichever order the tensor has.
		const imagenet = imageFill({ image, width: 2, height: 1 });
		const planes = imageValues(image, imagenet, 3);
		expect(planes[0]).toBeCloseTo((1 - 0.485) / 0.229, 5);
		expect(planes[5]).toBeCloseTo((1 - 0.406) / 0.225, 5);
		const tensors = buildTensors(
			[info('pixels', 'float32', ['batch', 3, 'h', 'w'])],
			{ pixels: imageFill({ ...settings, layout: 'nchw' }) },
			{}
		);
		expect(tensors.pixels?.dims).toEqual([1, 3, 1, 2]);
		const gray = buildTensors([info('g', 'float32', [1, 1, 1, 2])], { g: imageFill(settings) }, {});
		expect(Array.from(gray.g!.data as Float32Array).map((v) => Number(v.toFixed(3)))).toEqual([
			Number(((0.299 - 0.5) / 0.5).toFixed(3)),
			Number(((0.114 - 0.5) / 0.5).toFixed(3))
		]);
		expect(() => buildTensors([info('x', 'float32', [1, 4, 2, 2])], { x: imageFill(settings) }, {})).toThrow(
			'Input "x": in NCHW layout its channel dimension is 4; an image has 1 or 3.'
		);
	});

	it('suggests image settings from the input shape', () => {
		expect(fillOfKind(info('x', 'float32', [1, 3, 384, 512]), 'image')).toMatchObject({
			layout: 'nchw',
			width: 512,
			height: 384
		});
		expect(fillOfKind(info('x', 'float32', [1, 64, 32, 3]), 'image')).toMatchObject({
			layout: 'nhwc',
			width: 32,
			height: 64
		});
		expect(fillOfKind(info('x', 'float32', ['b', 3, 'h', 'w']), 'image')).toMatchObject({
			width: 224,
			height: 224
		});
	});

	it('puts an audio clip into the last dimension at the chosen rate', () => {
		const clip = { samplingRate: 8000, data: Float32Array.from([0, 0.5, 1, 0.5]) };
		const tensors = buildTensors(
			[info('wave', 'float32', ['b', 'n'])],
			{ wave: audioFill({ audio: clip, rate: 16000 }) },
			{}
		);
		expect(tensors.wave?.dims).toEqual([1, 8]);
	});

	it('converts half precision both ways', () => {
		for (const value of [0, 1, -2, 0.5, 65504, 0.099975586])
			expect(fromHalf(toHalf(value))).toBeCloseTo(value, 3);
		expect(toHalf(1)).toBe(0x3c00);
		expect(fromHalf(toHalf(1e6))).toBe(Infinity);
	});
});

describe('onnx outputs', () => {
	it('reads score vectors as top-k, image shapes as images and the rest as tables', () => {
		expect(viewOf('float32', [1000])).toBe('topk');
		expect(viewOf('float32', [1, 10])).toBe('topk');
		expect(viewOf('float32', [1, 1])).toBe('table');
		expect(viewOf('int64', [5])).toBe('table');
		expect(viewOf('float32', [1, 3, 8, 8])).toBe('image');
		expect(viewOf('float32', [1, 1, 8, 8])).toBe('image');
		expect(viewOf('uint8', [8, 8])).toBe('image');
		expect(viewOf('float32', [2, 1, 128])).toBe('table');
		expect(viewOf('float32', [1, 4, 8, 8])).toBe('table');
		expect(viewOf('string', [3])).toBe('table');
	});

	it('ranks top-k with probabilities from softmax, or the scores when they already are', () => {
		const top = topK([1, 3, 2], 2);
		expect(top.map((entry) => entry.index)).toEqual([1, 2]);
		expect(top[0]!.probability).toBeCloseTo(Math.exp(3) / (Math.exp(1) + Math.exp(2) + Math.exp(3)), 6);
		expect(topK([0.2, 0.8], 1)).toEqual([{ index: 1, score: 0.8, probability: 0.8 }]);
	});

	it('draws image tensors scaled to bytes', () => {
		const gray = new Uint8ClampedArray(tensorImage([0, 0.5, 1, 1], [2, 2]).rgba);
		expect(Array.from(gray.slice(0, 8))).toEqual([0, 0, 0, 255, 128, 128, 128, 255]);
		const wide = new Uint8ClampedArray(tensorImage([-1, 1], [1, 1, 1, 2]).rgba);
		expect(wide[0]).toBe(0);
		expect(wide[4]).toBe(255);
		const rgb = new Uint8ClampedArray(tensorImage([255, 0, 0, 255, 0, 0], [1, 3, 1, 2]).rgba);
		expect(Array.from(rgb)).toEqual([255, 0, 0, 255, 0, 255, 0, 255]);
	});

	it('previews big tensors with their count, and keeps every value for the download', () => {
		const data = Float32Array.from({ length: 1000 }, (_, i) => i);
		const result = summariseTensor('logits', 'float32', [1000], data);
		expect(result).toMatchObject({ size: 1000, view: 'topk', stats: { min: 0, max: 999, mean: 499.5 } });
		expect(result.preview).toHaveLength(100);
		expect(result.topk?.[0]?.index).toBe(999);
		expect(allValues(result)).toHaveLength(1000);
		const ints = summariseTensor('ids', 'int64', [2], BigInt64Array.from([1n, 2n ** 60n]));
		expect(allValues(ints)).toEqual([1, String(2n ** 60n)]);
		expect(summariseTensor('words', 'string', [2], ['a', 'b'])).toMatchObject({
			preview: ['a', 'b'],
			data: null
		});
	});
});

describe('onnx pipeline on the real Silero VAD v5 graph', () => {
	const models = useOnnxModels('browserve-onnx-');

	it('plans the one graph a link names, or the usual one', () => {
		const repo = ['config.json', 'onnx/model.onnx', 'onnx/model_q8.onnx', 'onnx/model_q8.onnx_data'];
		expect(selectOnnxFiles(onnxPipeline, 'a/b', repo, 'onnx/model_q8.onnx')).toEqual([
			'onnx/model_q8.onnx',
			'onnx/model_q8.onnx_data'
		]);
		expect(selectOnnxFiles(onnxPipeline, 'a/b', repo)).toEqual(['onnx/model.onnx']);
		expect(() => selectOnnxFiles(onnxPipeline, 'a/b', repo, 'other.onnx')).toThrow(/lacks other\.onnx/);
		expect(defaultGraph(['x/a.onnx'])).toBe('x/a.onnx');
	});

	it('describes its inputs and outputs from the session, and runs it on the example', async () => {
		const pipe = await models.load('snakers4/silero-vad', onnxPipeline);
		const inspected = await task.run(pipe, task.warmup);
		expect(inspected.ran).toBe(false);
		expect(inspected.io).toEqual({
			inputs: [
				{ name: 'input', type: 'float32', shape: ['input[0]', 'input[1]'] },
				{ name: 'state', type: 'float32', shape: [2, 'state[1]', 128] },
				{ name: 'sr', type: 'int64', shape: [] }
			],
			outputs: [
				{ name: 'output', type: 'float32', shape: ['output[0]', 1] },
				{ name: 'stateN', type: 'float32', shape: ['stateN[0]', 'stateN[1]', 'stateN[2]'] }
			]
		});
		const output = await task.run(pipe, task.examples[0]!);
		expect(output.ran).toBe(true);
		expect(
			output.results.map(({ name, type, dims, size, view }) => ({ name, type, dims, size, view }))
		).toEqual([
			{ name: 'output', type: 'float32', dims: [1, 1], size: 1, view: 'table' },
			{ name: 'stateN', type: 'float32', dims: [2, 1, 128], size: 256, view: 'table' }
		]);
		// Silence is not speech.
		expect(output.results[0]!.preview[0]).toBeLessThan(0.1);
		await expect(
			task.run(pipe, {
				...task.examples[0]!,
				fills: { ...task.examples[0]!.fills, sr: { kind: 'json', text: '[1, 2]', shape: '' } }
			})
		).rejects.toThrow('Input "sr": the values have shape [2] but the model takes 0 dimensions [].');
	});
});
