// The score threshold of the detection form on screen, shared with its result. Output widgets are given only
// the output, yet the result's slider must move the form's threshold, so that Share carries what is drawn.

/** What the form edits: the input of object-detection or zero-shot-object-detection. */
interface ThresholdForm {
	threshold: number;
}

export class DetectionThreshold {
	// Raw: the form's input is already the page's deep state; this only points at it.
	#form = $state.raw<ThresholdForm | null>(null);

	/** The form's threshold while a detection form is on screen and holds a usable one, else null. */
	get value(): number | null {
		const value = this.#form?.threshold;
		return typeof value === 'number' && Number.isFinite(value) ? value : null;
	}

	/** Moves the form's threshold; false when no form is on screen to take it. */
	set(value: number): boolean {
		if (this.#form === null) return false;
		this.#form.threshold = value;
		return true;
	}

	/** Called as a detection form appears; the returned function detaches it as it goes. */
	attach(form: ThresholdForm): () => void {
		this.#form = form;
		return () => {
			if (this.#form === form) this.#form = null;
		};
	}
}

export const detectionThreshold = new DetectionThreshold();
