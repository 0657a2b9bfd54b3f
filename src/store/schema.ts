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
  campaign_people: CampaignPersonTable;
  campaign_strata: CampaignStratumTable;
  campaign_rounds: CampaignRoundTable;
  campaign_messages: CampaignMessageTable;
  campaign_settings: CampaignSettingTable;
  campaign_press_handles: CampaignPressHandleTable;
  campaign_press_requests: CampaignPressRequestTable;
  association_entries: AssociationEntryTable;
  association_decisions: AssociationDecisionTable;
  surveys: SurveyTable;
  survey_plans: SurveyPlanTable;
}

// --- surveys (see src/store/repositories/surveys.ts) ---

/** A survey: its name is its instrument's name. */
export interface SurveyTable {
  name: string;
  /** JSON `{fr, en}`, or null: the questionnaire's own title. */
  title: string | null;
  /** JSON array of language codes. */
  languages: string;
  /** 'survey' (real responses only) or 'demo' (synthetic responses only). */
  kind: string;
  /** The directory under `instruments/` holding its plan and texts, or null. */
  source: string | null;
  created_at: string;
}

/** A version of a survey's analysis plan (`cairnet plan set`). */
export interface SurveyPlanTable {
  id: string;
  survey: string;
  version: number;
  hash: string;
  yaml: string;
  created_at: string;
}

// --- associations (see src/associations/ and src/store/repositories/associations.ts) ---

export interface AssociationEntryTable {
  id: string;
  name: string;
  /** JSON array of strings. */
  acronyms: string;
  /** JSON array of strings. */
  aliases: string;
  area: string;
  origin: string;
  position: number;
  updated_at: string;
}

export interface AssociationDecisionTable {
  id: string;
  seq: number;
  kind: string;
  /** The decision as JSON (src/associations/decision.ts). */
  decision: string;
  user_id: string | null;
  at: string;
}

// --- campaign (the only tables holding personal data; see src/campaign/) ---

export interface CampaignPersonTable {
  id: string;
  /** sha256 of the normalised e-mail: the import key; kept after erasure so a re-import skips them. */
  email_key: string;
  email: string | null;
  name: string | null;
  language: string;
  /** The id written on the person's response (`responses.invitation_id`); null once cut. */
  pseudonym: string | null;
  invited_at: string | null;
  opened_at: string | null;
  started_at: string | null;
  completed: number;
  completed_at: string | null;
  opted_out_at: string | null;
  undeliverable_at: string | null;
  undeliverable_reason: string | null;
  erased_at: string | null;
  imported_at: string;
  updated_at: string;
}

export interface CampaignStratumTable {
  person_id: string;
  field: string;
  value: string;
}

export interface CampaignRoundTable {
  id: string;
  kind: string;
  created_at: string;
  finished_at: string | null;
}

export interface CampaignMessageTable {
  id: string;
  person_id: string;
  round_id: string;
  kind: string;
  token_hash: string;
  /** sending (intent recorded) → sent | retry | failed | uncertain */
  state: string;
  created_at: string;
  attempted_at: string | null;
  sent_at: string | null;
  smtp_response: string | null;
  error: string | null;
}

export interface CampaignSettingTable {
  key: string;
  value: string;
}

/** A contactable response's handle: the only name the press office sees (random, not the pseudonym). */
export interface CampaignPressHandleTable {
  handle: string;
  response_id: string;
  created_at: string;
}

/** A contact request relayed to a researcher who opted in (see src/campaign/press-contacts.ts). */
export interface CampaignPressRequestTable {
  id: string;
  handle: string;
  person_id: string;
  /** The press officer's user id. */
  requested_by: string;
  message: string;
  /** sha256 of the token of the researcher's answer link. */
  token_hash: string;
  /** sending → sent | failed → accepted | declined */
  state: string;
  created_at: string;
  sent_at: string | null;
  answered_at: string | null;
  /** When the researcher's address was sent to the press officer (after acceptance). */
  shared_at: string | null;
  error: string | null;
}
