// The question of the tasks that ask about an image (document question answering, image-text-to-text): read
// from a share link with its length checked, and why one cannot run yet. Each task sets its own limit.

import { readTextParam, type ParamIssue } from './types';

/** Reads the `question` parameter; one longer than `maxLength` is reported and left out. */
export function readQuestion(params: URLSearchParams, maxLength: number, issues: ParamIssue[]): string {
	const question = readTextParam(params, 'question', issues);
	if (question.length <= maxLength) return question;
	issues.push({
		param: 'question',
		message: `question can be at most ${maxLength} characters; this one has ${question.length}.`
	});
	return '';
}

/** Why a question about `subject` (the image, the document) cannot run, or null. */
export function whyNotQuestionAbout(question: string, maxLength: number, subject: string): string | null {
	if (question.trim() === '') return `Type a question about ${subject}.`;
	if (question.length > maxLength)
		return `The question can be at most ${maxLength} characters; it has ${question.length}.`;
	return null;
}
