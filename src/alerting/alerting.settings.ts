import 'reflect-metadata';
import { IsOptional, IsUrl } from 'class-validator';

/** Where alerts go. */
export class AlertingSettings {
  /** Where alerts an operator must act on are POSTed (chat-compatible `text`); unset, they are logged at error level. */
  @IsOptional() @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  ALERT_WEBHOOK_URL?: string;
}
