// The one table of tasks Browserve runs. TaskId is derived from its keys, so adding a task is one entry
// here and the compiler then points at every place (worker, widgets, catalog) that must handle it.

import { textClassification } from './text-classification';
import { textGeneration } from './text-generation';
import { zeroShotClassification } from './zero-shot-classification';
import { featureExtraction } from './feature-extraction';
import { sentenceSimilarity } from './sentence-similarity';
import { tokenClassification } from './token-classification';
import { questionAnswering } from './question-answering';
import { fillMask } from './fill-mask';
import { summarization } from './summarization';
import { translation } from './translation';
import { text2textGeneration } from './text2text-generation';
import { conversational } from './conversational';
import { imageClassification } from './image-classification';
import { depthEstimation } from './depth-estimation';
import { imageFeatureExtraction } from './image-feature-extraction';
import { objectDetection } from './object-detection';
import { zeroShotObjectDetection } from './zero-shot-object-detection';
import { imageSegmentation } from './image-segmentation';
import { backgroundRemoval } from './background-removal';
import { imageToImage } from './image-to-image';
import { audioClassification } from './audio-classification';
import { automaticSpeechRecognition } from './automatic-speech-recognition';
import { voiceActivityDetection } from './voice-activity-detection';
import { ocr } from './ocr';
import { onnx } from './onnx';
import { zeroShotImageClassification } from './zero-shot-image-classification';
import { imageToText } from './image-to-text';
import { documentQuestionAnswering } from './document-question-answering';
import { imageTextToText } from './image-text-to-text';
import { textToAudio, textToSpeech } from './text-to-speech';
import { zeroShotAudioClassification } from './zero-shot-audio-classification';
import type { RunContext, TaskSpec } from './types';

export const TASKS = {
	'text-classification': textClassification,
	'text-generation': textGeneration,
	'zero-shot-classification': zeroShotClassification,
	'feature-extraction': featureExtraction,
	'sentence-similarity': sentenceSimilarity,
	'token-classification': tokenClassification,
	'question-answering': questionAnswering,
	'fill-mask': fillMask,
	summarization,
	translation,
	'text2text-generation': text2textGeneration,
	conversational,
	'image-classification': imageClassification,
	'depth-estimation': depthEstimation,
	'image-feature-extraction': imageFeatureExtraction,
	'object-detection': objectDetection,
	'zero-shot-object-detection': zeroShotObjectDetection,
	'image-segmentation': imageSegmentation,
	'background-removal': backgroundRemoval,
	'image-to-image': imageToImage,
	'audio-classification': audioClassification,
	'automatic-speech-recognition': automaticSpeechRecognition,
	'text-to-speech': textToSpeech,
	'text-to-audio': textToAudio,
	'zero-shot-audio-classification': zeroShotAudioClassification,
	'voice-activity-detection': voiceActivityDetection,
	ocr,
	onnx,
	'zero-shot-image-classification': zeroShotImageClassification,
	'image-to-text': imageToText,
	'document-question-answering': documentQuestionAnswering,
	'image-text-to-text': imageTextToText
} as const satisfies Record<string, TaskSpec<unknown, unknown, unknown, unknown>>;

export type TaskId = keyof typeof TASKS;
export type TaskInput<T extends TaskId> = Parameters<(typeof TASKS)[T]['serializeInput']>[0];
export type TaskOutput<T extends TaskId> = Awaited<ReturnType<(typeof TASKS)[T]['run']>>;
/** What a task streams while it runs (never for tasks that do not stream). */
export type TaskPartial<T extends TaskId> =
	Parameters<(typeof TASKS)[T]['run']>[2] extends RunContext<infer P> ? P : never;

export const TASK_IDS = Object.keys(TASKS) as TaskId[];

export function isTaskId(value: string): value is TaskId {
	return Object.hasOwn(TASKS, value);
}

export function getTask<T extends TaskId>(id: T): (typeof TASKS)[T] {
	return TASKS[id];
}
