import { Parser } from '@asyncapi/parser';
import type { AsyncAPIDocumentInterface, Diagnostic } from '@asyncapi/parser';
import Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import asyncApiDocument from '../../src/event-log/event-log.asyncapi.json';

export interface PublishedMessage {
  subject: string;
  headers: Record<string, string>;
  body: unknown;
}

interface Channel {
  address: RegExp;
  headers: ValidateFunction;
  payload: ValidateFunction;
}

/** Parses the repository's AsyncAPI document; `diagnostics` holds the parser's findings. */
export async function parseAsyncApi(): Promise<{ document: AsyncAPIDocumentInterface | undefined; diagnostics: Diagnostic[] }> {
  return new Parser().parse(JSON.stringify(asyncApiDocument));
}

/**
 * Checks published messages against the document, as a subscriber validating with it would:
 * the subject must match a channel's address, and the headers and body its message's schemas
 * (JSON Schema draft-07, checked by ajv in strict mode).
 */
export class AsyncApiValidator {
  private constructor(private readonly channels: Channel[]) {}

  static async load(): Promise<AsyncApiValidator> {
    const { document, diagnostics } = await parseAsyncApi();
    if (!document) throw new Error(`AsyncAPI document does not parse: ${diagnostics.map((d) => d.message).join('; ')}`);
    const ajv = new Ajv({ strict: true, allErrors: true });
    addFormats(ajv);
    // The parser marks each dereferenced schema with where it came from.
    ajv.addKeyword('x-parser-schema-id');
    const channels = document.channels().all().map((channel) => {
      const [message] = channel.messages().all();
      return {
        address: new RegExp(`^${channel.address()!.replace(/\./g, '\\.').replace('{orderId}', '[1-9][0-9]*')}$`),
        headers: ajv.compile(message.headers()!.json()),
        payload: ajv.compile(message.payload()!.json()),
      };
    });
    return new AsyncApiValidator(channels);
  }

  /** What is wrong with the message, one line each; empty when it validates. */
  problems(message: PublishedMessage): string[] {
    const channel = this.channels.find((c) => c.address.test(message.subject));
    if (!channel) return [`${message.subject}: no channel of the document has this address`];
    const problems: string[] = [];
    for (const [part, validate, value] of [['headers', channel.headers, message.headers], ['body', channel.payload, message.body]] as const) {
      if (!validate(value)) problems.push(...validate.errors!.map((e) => `${message.subject} ${part}${e.instancePath} ${e.message}`));
    }
    return problems;
  }
}
