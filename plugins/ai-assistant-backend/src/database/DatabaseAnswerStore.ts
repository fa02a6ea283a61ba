import { Knex } from 'knex';
import {
  databaseNow,
  databaseNowPlus,
  timestampOf,
} from '@internal/backend-database';
import {
  AnswerStore,
  FeedbackRating,
  NewAnswer,
  StoredAnswer,
  StoredProposal,
} from './AnswerStore';

export class DatabaseAnswerStore implements AnswerStore {
  constructor(private readonly knex: Knex) {}

  async saveAnswer(answer: NewAnswer) {
    await this.knex('ai_answers').insert({
      id: answer.id,
      user_ref: answer.userRef,
      capability: answer.capability,
      entity_ref: answer.entityRef ?? null,
      question: answer.question,
      answer: answer.answer,
      sources: JSON.stringify(answer.sources),
      provider: answer.provider,
      model: answer.model,
      prompt_tokens: answer.promptTokens,
      completion_tokens: answer.completionTokens,
      latency_ms: answer.latencyMs,
      created_at: databaseNow(this.knex),
    });
  }

  async answer(id: string): Promise<StoredAnswer | undefined> {
    const row = await this.knex('ai_answers').where({ id }).first();
    if (!row) return undefined;
    return {
      id: row.id,
      userRef: row.user_ref,
      capability: row.capability,
      ...(row.entity_ref ? { entityRef: row.entity_ref } : {}),
      question: row.question,
      answer: row.answer,
      sources: JSON.parse(row.sources),
      provider: row.provider,
      model: row.model,
      promptTokens: Number(row.prompt_tokens),
      completionTokens: Number(row.completion_tokens),
      latencyMs: Number(row.latency_ms),
      createdAt: timestampOf(row.created_at),
    };
  }

  async saveFeedback(
    answerId: string,
    userRef: string,
    rating: FeedbackRating,
    note: string | undefined,
  ) {
    await this.knex('ai_feedback')
      .insert({
        answer_id: answerId,
        user_ref: userRef,
        rating,
        note: note ?? null,
        created_at: databaseNow(this.knex),
      })
      .onConflict(['answer_id', 'user_ref'])
      .merge(['rating', 'note', 'created_at']);
  }

  async markedWrong(answerId: string) {
    const row = await this.knex('ai_feedback')
      .where({ answer_id: answerId, rating: 'wrong' })
      .first('answer_id');
    return !!row;
  }

  async shared(answerId: string) {
    const ratings = (await this.knex('ai_feedback')
      .where({ answer_id: answerId })
      .distinct('rating')) as Array<{ rating: string }>;
    const given = new Set(ratings.map(r => r.rating));
    return given.has('helpful') && !given.has('wrong');
  }

  async saveProposal(
    proposal: Omit<StoredProposal, 'expiresAt'>,
    ttlMs: number,
  ): Promise<StoredProposal> {
    await this.knex('ai_proposals').insert({
      id: proposal.id,
      user_ref: proposal.userRef,
      answer_id: proposal.answerId ?? null,
      action_id: proposal.actionId,
      title: proposal.title,
      input: JSON.stringify(proposal.input),
      status: proposal.status,
      output: null,
      expires_at: databaseNowPlus(this.knex, ttlMs),
      created_at: databaseNow(this.knex),
    });
    return (await this.proposal(proposal.id))!;
  }

  private proposalOf(row: any): StoredProposal {
    return {
      id: row.id,
      userRef: row.user_ref,
      ...(row.answer_id ? { answerId: row.answer_id } : {}),
      actionId: row.action_id,
      title: row.title,
      input: JSON.parse(row.input),
      status: row.status,
      ...(row.output ? { output: JSON.parse(row.output) } : {}),
      expiresAt: timestampOf(row.expires_at).toISOString(),
    };
  }

  async proposal(id: string) {
    const row = await this.knex('ai_proposals').where({ id }).first();
    return row ? this.proposalOf(row) : undefined;
  }

  async claimProposal(id: string, userRef: string) {
    const claimed = await this.knex('ai_proposals')
      .where({ id, user_ref: userRef, status: 'proposed' })
      .where('expires_at', '>', databaseNow(this.knex))
      .update({ status: 'confirming', decided_at: databaseNow(this.knex) });
    return claimed === 1 ? this.proposal(id) : undefined;
  }

  async finishProposal(
    id: string,
    status: 'confirmed' | 'failed',
    output: unknown,
  ) {
    await this.knex('ai_proposals')
      .where({ id, status: 'confirming' })
      .update({ status, output: JSON.stringify(output ?? null) });
  }
}
