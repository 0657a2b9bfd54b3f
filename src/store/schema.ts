/**
 * The tables of the Cairnet store, as Kysely sees them. Column types are chosen so that both
 * dialects store them alike: ids and timestamps (ISO 8601, UTC) as text, JSON documents as text,
 * flags as integers 0/1.
 */
import type { ColumnType } from 'kysely';

export interface InstrumentTable {
  id: string;
  name: string;
  version: number;
  hash: string;
  json: string;
  created_at: string;
}

export interface ResponseTable {
  id: string;
  instrument_name: string;
  instrument_version: number;
  data: string;
  idempotency_key: string | null;
  data_hash: string;
  synthetic: number;
  meta: string | null;
  invitation_id: string | null;
  started_at: string | null;
  completed_at: string;
}

export interface DraftTable {
  token_hash: string;
  instrument_name: string;
  instrument_version: number;
  data: string;
  page_no: number;
  invitation_id: string | null;
  created_at: string;
  updated_at: string;
  /** Set when the draft became a completed response; its answers are then cleared. */
  completed_response_id: string | null;
}

export interface UserTable {
  id: string;
  email: string;
  password_hash: string;
  role: string;
  created_at: string;
}

export interface SessionTable {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

export interface AuditTable {
  id: string;
  at: string;
  user_id: string | null;
  action: string;
  target: string | null;
  detail: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface CairnetDatabase {
  instruments: InstrumentTable;
  responses: ResponseTable;
  drafts: DraftTable;
  users: UserTable;
  sessions: SessionTable;
  audit_log: AuditTable;
}
