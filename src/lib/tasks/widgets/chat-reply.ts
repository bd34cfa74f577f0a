// How a finished chat reply reaches the conversation. The task page hands the input widget the input and the
// output widget the output, and neither sees the other; so the output widget announces each reply it is given
// as an event on the document, and the input widget, while it is on the page, adds it to the conversation it
// sent. An event, unlike state shared through a module, leaves nothing behind once the page is gone.

import type { ConversationalOutput } from '../conversational';

const REPLY_EVENT = 'browserve:chat-reply';

/** The event itself carries the typed output, so a listener needs no cast. */
class ReplyEvent extends Event {
	constructor(readonly output: ConversationalOutput) {
		super(REPLY_EVENT);
	}
}

export function announceReply(output: ConversationalOutput): void {
	document.dispatchEvent(new ReplyEvent(output));
}

/** Calls `handler` with every reply announced from now on; returns the function that stops listening. */
export function onReply(handler: (output: ConversationalOutput) => void): () => void {
	const listener = (event: Event) => {
		if (event instanceof ReplyEvent) handler(event.output);
	};
	document.addEventListener(REPLY_EVENT, listener);
	return () => document.removeEventListener(REPLY_EVENT, listener);
}
