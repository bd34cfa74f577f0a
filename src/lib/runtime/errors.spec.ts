import { describe, expect, it } from 'vitest';
import {
	deserializeError,
	ModelNotFoundError,
	serializeError,
	CancelledError,
	BrowserveError
} from './errors';

describe('errors across the worker boundary', () => {
	it('rebuilds a named error as the same class with its detail', () => {
		const sent = serializeError(new ModelNotFoundError('no such model', { model: 'a/b' }));
		const wire = structuredClone(sent);
		const back = deserializeError(wire);
		expect(back).toBeInstanceOf(ModelNotFoundError);
		expect(back).toBeInstanceOf(BrowserveError);
		expect(back.name).toBe('ModelNotFoundError');
		expect(back.message).toBe('no such model');
		expect((back as ModelNotFoundError).detail).toEqual({ model: 'a/b' });
	});

	it('keeps the name of errors it does not know', () => {
		const original = new RangeError('too big');
		const back = deserializeError(structuredClone(serializeError(original)));
		expect(back).not.toBeInstanceOf(BrowserveError);
		expect(back.name).toBe('RangeError');
		expect(back.message).toBe('too big');
	});

	it('turns thrown non-errors into messages', () => {
		expect(serializeError('boom')).toEqual({ name: 'Error', message: 'boom' });
		expect(serializeError({ code: 3 }).message).toBe('{"code":3}');
		expect(deserializeError(serializeError(new CancelledError('stop')))).toBeInstanceOf(CancelledError);
	});
});
