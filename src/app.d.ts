// Types SvelteKit's generated code and the app share.
/// <reference types="@webgpu/types" />
declare global {
	namespace App {
		interface Error {
			message: string;
			/** What the user can do about it, when there is something. */
			hint?: string;
		}
	}
}

export {};
