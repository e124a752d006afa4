/**
 * A deterministic stand-in for a chat model, so the agent examples run offline and give the same answer
 * every time. Its reply is a pure function of the conversation, like a recorded LLM: a retried node or a
 * restarted worker gets the same answer. (`FakeListChatModel` from `@langchain/core/utils/testing` keeps a
 * counter in memory instead, which a worker restart resets.) Swap in `ChatOpenAI`, `ChatAnthropic`, ...
 * and nothing else changes.
 */
import {
  BaseChatModel,
  type BaseChatModelParams,
  type BindToolsInput,
} from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';

/** Decides the model's reply from the messages it is given. */
export type Script = (messages: BaseMessage[]) => AIMessage;

export class ScriptedChatModel extends BaseChatModel {
  readonly #script: Script;

  constructor(script: Script, params: BaseChatModelParams = {}) {
    super(params);
    this.#script = script;
  }

  _llmType(): string {
    return 'scripted';
  }

  /** The script already knows the tools; binding them changes nothing. */
  override bindTools(_tools: BindToolsInput[]): this {
    return this;
  }

  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    const message = this.#script(messages);
    return { generations: [{ message, text: typeof message.content === 'string' ? message.content : '' }] };
  }
}
