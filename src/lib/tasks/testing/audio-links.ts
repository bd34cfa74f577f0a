// For the specs of the tasks that take a clip: what a share link can carry for one (nothing, a web address, or a
// built-in sample by name) as a fast-check arbitrary. Links are read with image-links' linkParser, as for images.

import fc from 'fast-check';
import type { AudioClip, AudioSource } from '../audio-source';
import { webUrl } from './image-links';

/** Any clip a link can carry: none, a web address, or one of `samples` by name, made by `clipOf`. */
export function linkClips<Sample extends string>(
	samples: Readonly<Record<Sample, unknown>>,
	clipOf: (name: Sample) => AudioClip
): fc.Arbitrary<AudioSource<Sample>> {
	return fc.oneof(
		fc.record({
			audio: fc.constant(null),
			url: fc.oneof(fc.constant(''), webUrl),
			sample: fc.constant('' as const)
		}),
		fc
			.constantFrom(...(Object.keys(samples) as Sample[]))
			.map((sample) => ({ audio: clipOf(sample), url: '', sample }))
	);
}
