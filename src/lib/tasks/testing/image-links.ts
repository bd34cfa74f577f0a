// For the specs of the tasks that take an image: what a share link can carry for one (nothing, a web address,
// or a built-in sample by name) as a fast-check arbitrary, and a link's parameters read as the page reads them.

import fc from 'fast-check';
import type { ImageSource, RgbaImage } from '../image-source';
import type { ParamIssue } from '../types';

export const webUrl = fc.webUrl({
	validSchemes: ['http', 'https'],
	withQueryParameters: true,
	withFragments: true
});

/** Any image a link can carry: none, a web address, or one of `samples` by name, drawn by `draw`. */
export function linkImages<Sample extends string>(
	samples: Readonly<Record<Sample, unknown>>,
	draw: (name: Sample) => RgbaImage
): fc.Arbitrary<ImageSource<Sample>> {
	return fc.oneof(
		fc.record({
			image: fc.constant(null),
			url: fc.oneof(fc.constant(''), webUrl),
			sample: fc.constant('' as const)
		}),
		fc
			.constantFrom(...(Object.keys(samples) as Sample[]))
			.map((sample) => ({ image: draw(sample), url: '', sample }))
	);
}

/** A task's parseInput as a link's query string (or parameters) meets it: the input, and the issues reported. */
export function linkParser<Input>(task: {
	parseInput(params: URLSearchParams, issues: ParamIssue[]): Input;
}) {
	return (query: string | Record<string, string>): { input: Input; issues: ParamIssue[] } => {
		const issues: ParamIssue[] = [];
		return { input: task.parseInput(new URLSearchParams(query), issues), issues };
	};
}
