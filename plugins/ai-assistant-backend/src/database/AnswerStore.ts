import {
  ActionProposal,
  AssistantSource,
} from '@internal/plugin-ai-assistant-common';

/** A source as stored with an answer: what the asker saw, and what a later reader must be able to read. */
export interface StoredSource extends AssistantSource {
  requiredRefs: string[];
}

export interface NewAnswer {
  id: string;
  userRef: string;
  capability: string;
  entityRef?: string;
  /** Redacted. */
  question: string;
  /** Redacted. */
  answer: string;
  sources: StoredSource[];
  provider: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  latencyMs: number;
}

export interface StoredAnswer extends NewAnswer {
  createdAt: Date;
}

export type FeedbackRating = 'helpful' | 'wrong';

export interface StoredProposal extends ActionProposal {
  userRef: string;
  answerId?: string;
  status: 'proposed' | 'confirming' | 'confirmed' | 'failed';
  output?: unknown;
}

/** Answers, the feedback on them and the changes they proposed. */
export interface AnswerStore {
  saveAnswer(answer: NewAnswer): Promise<void>;
  answer(id: string): Promise<StoredAnswer | undefined>;
  /** One rating per person per answer; a second replaces the first. */
  saveFeedback(
    answerId: string,
    userRef: string,
    rating: FeedbackRating,
    note: string | undefined,
  ): Promise<void>;
  /** Whether anyone has called the answer wrong. */
  markedWrong(answerId: string): Promise<boolean>;
  /** Whether someone marked the answer helpful and nobody wrong: it is then a source of later answers. */
  shared(answerId: string): Promise<boolean>;
  /** Records a proposal that can be confirmed for ttlMs (by the database's clock). */
  saveProposal(
    proposal: Omit<StoredProposal, 'expiresAt'>,
    ttlMs: number,
  ): Promise<StoredProposal>;
  proposal(id: string): Promise<StoredProposal | undefined>;
  /**
   * Takes a proposal for confirmation: only its requester, only while proposed and unexpired (by the
   * database's clock), and only once, however many confirmations arrive at once.
   */
  claimProposal(
    id: string,
    userRef: string,
  ): Promise<StoredProposal | undefined>;
  finishProposal(
    id: string,
    status: 'confirmed' | 'failed',
    output: unknown,
  ): Promise<void>;
}
