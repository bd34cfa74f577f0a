// What the page draws for each task: its input and output widgets. Typed by TaskId, so a task added to the
// registry without widgets is a compile error here. Page-only; the worker never imports Svelte.

import type { Component } from 'svelte';
import type { TaskId, TaskInput, TaskOutput, TaskPartial } from './registry';
import TextClassificationInput from './widgets/TextClassificationInput.svelte';
import LabelScores from './widgets/LabelScores.svelte';
import TextGenerationInput from './widgets/TextGenerationInput.svelte';
import GenerationProgress from './widgets/GenerationProgress.svelte';
import GeneratedText from './widgets/GeneratedText.svelte';
import ZeroShotClassificationInput from './widgets/ZeroShotClassificationInput.svelte';
import FeatureExtractionInput from './widgets/FeatureExtractionInput.svelte';
import EmbeddingVector from './widgets/EmbeddingVector.svelte';
import SentenceSimilarityInput from './widgets/SentenceSimilarityInput.svelte';
import SimilarityScores from './widgets/SimilarityScores.svelte';
import TokenClassificationInput from './widgets/TokenClassificationInput.svelte';
import EntityHighlights from './widgets/EntityHighlights.svelte';
import QuestionAnsweringInput from './widgets/QuestionAnsweringInput.svelte';
import AnswerHighlight from './widgets/AnswerHighlight.svelte';
import FillMaskInput from './widgets/FillMaskInput.svelte';
import FillMaskCandidates from './widgets/FillMaskCandidates.svelte';
import SummarizationInput from './widgets/SummarizationInput.svelte';
import SummaryText from './widgets/SummaryText.svelte';
import TranslationInput from './widgets/TranslationInput.svelte';
import TranslationText from './widgets/TranslationText.svelte';
import Text2TextInput from './widgets/Text2TextInput.svelte';
import Text2TextOutput from './widgets/Text2TextOutput.svelte';
import ChatInput from './widgets/ChatInput.svelte';
import ChatPartial from './widgets/ChatPartial.svelte';
import ChatReply from './widgets/ChatReply.svelte';
import ImageClassificationInput from './widgets/ImageClassificationInput.svelte';
import DepthMap from './widgets/DepthMap.svelte';
import ImageFeatureExtractionInput from './widgets/ImageFeatureExtractionInput.svelte';
import ImageSimilarity from './widgets/ImageSimilarity.svelte';
import ObjectDetectionInput from './widgets/ObjectDetectionInput.svelte';
import ZeroShotObjectDetectionInput from './widgets/ZeroShotObjectDetectionInput.svelte';
import DetectionBoxes from './widgets/DetectionBoxes.svelte';
import ImageInput from './widgets/ImageInput.svelte';
import SegmentationMasks from './widgets/SegmentationMasks.svelte';
import CutOut from './widgets/CutOut.svelte';
import BeforeAfter from './widgets/BeforeAfter.svelte';
import AudioClassificationInput from './widgets/AudioClassificationInput.svelte';
import VoiceActivityInput from './widgets/VoiceActivityInput.svelte';
import SpeechSegments from './widgets/SpeechSegments.svelte';
import LiveSpeechTrace from './widgets/LiveSpeechTrace.svelte';
import OcrText from './widgets/OcrText.svelte';
import OnnxInput from './widgets/OnnxInput.svelte';
import OnnxOutput from './widgets/OnnxOutput.svelte';
import SpeechRecognitionInput from './widgets/SpeechRecognitionInput.svelte';
import TranscriptionProgress from './widgets/TranscriptionProgress.svelte';
import TranscriptText from './widgets/TranscriptText.svelte';
import TextToSpeechInput from './widgets/TextToSpeechInput.svelte';
import SpeechAudio from './widgets/SpeechAudio.svelte';
import ZeroShotAudioClassificationInput from './widgets/ZeroShotAudioClassificationInput.svelte';
import ZeroShotImageClassificationInput from './widgets/ZeroShotImageClassificationInput.svelte';
import ImageToTextInput from './widgets/ImageToTextInput.svelte';
import CaptionText from './widgets/CaptionText.svelte';
import DocumentQuestionAnsweringInput from './widgets/DocumentQuestionAnsweringInput.svelte';
import DocumentAnswer from './widgets/DocumentAnswer.svelte';
import ImageTextToTextInput from './widgets/ImageTextToTextInput.svelte';
import VisualAnswer from './widgets/VisualAnswer.svelte';

export interface TaskWidgets<T extends TaskId> {
	/** Edits the input in place (it is the page's reactive state); onsubmit runs it (Ctrl+Enter). */
	Input: Component<{ input: TaskInput<T>; disabled: boolean; onsubmit: () => void }>;
	Output: Component<{ output: TaskOutput<T> }>;
	/** Shown while a streaming run is under way (tokens so far, chunk progress). */
	Partial?: Component<{ partial: TaskPartial<T> }>;
}

export const WIDGETS: { [T in TaskId]: TaskWidgets<T> } = {
	'text-classification': { Input: TextClassificationInput, Output: LabelScores },
	'text-generation': { Input: TextGenerationInput, Output: GeneratedText, Partial: GenerationProgress },
	'zero-shot-classification': { Input: ZeroShotClassificationInput, Output: LabelScores },
	'feature-extraction': { Input: FeatureExtractionInput, Output: EmbeddingVector },
	'sentence-similarity': { Input: SentenceSimilarityInput, Output: SimilarityScores },
	'token-classification': { Input: TokenClassificationInput, Output: EntityHighlights },
	'question-answering': { Input: QuestionAnsweringInput, Output: AnswerHighlight },
	'fill-mask': { Input: FillMaskInput, Output: FillMaskCandidates },
	summarization: { Input: SummarizationInput, Output: SummaryText, Partial: GenerationProgress },
	translation: { Input: TranslationInput, Output: TranslationText, Partial: GenerationProgress },
	'text2text-generation': { Input: Text2TextInput, Output: Text2TextOutput, Partial: GenerationProgress },
	conversational: { Input: ChatInput, Output: ChatReply, Partial: ChatPartial },
	'image-classification': { Input: ImageClassificationInput, Output: LabelScores },
	'depth-estimation': { Input: ImageInput, Output: DepthMap },
	'image-feature-extraction': { Input: ImageFeatureExtractionInput, Output: ImageSimilarity },
	'object-detection': { Input: ObjectDetectionInput, Output: DetectionBoxes },
	'zero-shot-object-detection': { Input: ZeroShotObjectDetectionInput, Output: DetectionBoxes },
	'image-segmentation': { Input: ImageInput, Output: SegmentationMasks },
	'background-removal': { Input: ImageInput, Output: CutOut },
	'image-to-image': { Input: ImageInput, Output: BeforeAfter },
	'audio-classification': { Input: AudioClassificationInput, Output: LabelScores },
	'voice-activity-detection': { Input: VoiceActivityInput, Output: SpeechSegments, Partial: LiveSpeechTrace },
	ocr: { Input: ImageInput, Output: OcrText },
	onnx: { Input: OnnxInput, Output: OnnxOutput },
	'automatic-speech-recognition': {
		Input: SpeechRecognitionInput,
		Output: TranscriptText,
		Partial: TranscriptionProgress
	},
	'text-to-speech': { Input: TextToSpeechInput, Output: SpeechAudio },
	'text-to-audio': { Input: TextToSpeechInput, Output: SpeechAudio },
	'zero-shot-audio-classification': { Input: ZeroShotAudioClassificationInput, Output: LabelScores },
	'zero-shot-image-classification': { Input: ZeroShotImageClassificationInput, Output: LabelScores },
	'image-to-text': { Input: ImageToTextInput, Output: CaptionText, Partial: GenerationProgress },
	'document-question-answering': { Input: DocumentQuestionAnsweringInput, Output: DocumentAnswer },
	'image-text-to-text': { Input: ImageTextToTextInput, Output: VisualAnswer, Partial: GenerationProgress }
};
