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
  /** How the response came: `invitation` (a personal link) or `open` (the open link). */
  via: ColumnType<string, string | undefined, string>;
}

/** Open submissions per client address (a salted hash) and minute: the ballot-stuffing limit. */
export interface OpenSubmitCountTable {
  address_key: string;
  minute: string;
  n: number;
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
  /** Set when the member was disabled: no login, no session. */
  disabled_at: ColumnType<string | null, string | null | undefined, string | null>;
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
  open_submit_counts: OpenSubmitCountTable;
  campaign_people: CampaignPersonTable;
  campaign_strata: CampaignStratumTable;
  campaign_rounds: CampaignRoundTable;
  campaign_messages: CampaignMessageTable;
  campaign_settings: CampaignSettingTable;
  campaign_texts: CampaignTextTable;
  campaign_press_handles: CampaignPressHandleTable;
  campaign_press_requests: CampaignPressRequestTable;
  association_entries: AssociationEntryTable;
  association_decisions: AssociationDecisionTable;
  jobs: JobTable;
  user_tokens: UserTokenTable;
  result_snapshots: ResultSnapshotTable;
  publications: PublicationTable;
  publication_history: PublicationHistoryTable;
  surveys: SurveyTable;
  survey_plans: SurveyPlanTable;
}

// --- studio: background jobs and one-time links (migration 0011) ---

/** A background job (sending a round); see src/store/repositories/jobs.ts. */
export interface JobTable {
  id: string;
  /** `invitation` or `reminder` */
  kind: string;
  instrument: string;
  /** JSON: `{"ratePerMinute"?}` */
  params: string;
  /** queued → running → done | failed */
  state: string;
  round_id: string | null;
  total: number;
  done: number;
  sent: number;
  failed: number;
  retry_later: number;
  uncertain: number;
  /** How many times a worker claimed it (more than one after a crash or a restart). */
  attempts: number;
  error_code: string | null;
  error: string | null;
  /** The worker holding the job, until `lease_until` (ISO); its heartbeat pushes that forward. */
  lease_owner: string | null;
  lease_until: string | null;
  created_by: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

/** A one-time link: the first admin's setup, or a password reset. Only its hash is kept. */
export interface UserTokenTable {
  token_hash: string;
  /** `setup` or `reset` */
  purpose: string;
  user_id: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

// --- results (see src/results/ and src/store/repositories/snapshots.ts) ---

/** A stored, immutable evaluation of a plan on an instrument's responses (migration 0009). */
export interface ResultSnapshotTable {
  id: string;
  instrument: string;
  computed_at: string;
  /** A user id, or `cli:` and the operating-system user. */
  computed_by: string;
  /** sha256 of the plan's canonical JSON. */
  plan_hash: string;
  /** package.json's version and a hash of the sources (src/results/code-version.ts). */
  code_version: string;
  responses_count: number;
  /** The latest completion among the responses, or null when there is none. */
  responses_last: string | null;
  /** sha256 over the responses' ids and the hashes of their answers, in the store's order. */
  responses_hash: string;
  /** Position in the association decisions log: how many, and the last one's id. */
  decisions_count: number;
  decisions_last: string | null;
  /** sha256 of the results' canonical JSON: two snapshots with the same figures have the same. */
  results_hash: string;
  /** Every input as JSON (src/results/snapshot.ts, `SnapshotInputs`). */
  inputs: string;
  /** The results, plan, codebook, factor map and association counts as JSON. */
  body: string;
}

/** An instrument's results are public while it has a row; `snapshot_id` is what is public. */
export interface PublicationTable {
  instrument: string;
  published_at: string;
  /** The user who published, or null from the command line (named in the history). */
  published_by: string | null;
  /** Null only for a publication made before snapshots existed (set by its first reader). */
  snapshot_id: string | null;
}

/** Every publication and withdrawal, in order. */
export interface PublicationHistoryTable {
  id: string;
  instrument: string;
  snapshot_id: string | null;
  action: 'publish' | 'withdraw';
  at: string;
  by: string | null;
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
  /** When the decision was taken back (migration 0007); null while it applies. */
  undone_at: string | null;
  undone_by: string | null;
}

// --- campaign (the only tables holding personal data; see src/campaign/) ---

export interface CampaignPersonTable {
  id: string;
  /** The survey whose population the person is in (migration 0012); one address may be in several. */
  survey: string;
  /** sha256 of the normalised e-mail: the import key (unique per survey); kept after erasure so a re-import skips them. */
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
  /** 1 from the completion until the thank-you is claimed for sending or dropped (migration 0013). */
  thanks_due: ColumnType<number, number | undefined, number>;
}

export interface CampaignStratumTable {
  person_id: string;
  field: string;
  value: string;
}

export interface CampaignRoundTable {
  survey: string;
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
  survey: string;
  key: string;
  value: string;
}

/** A survey's invitation, reminder or thank-you text in one language, as the team edited it. */
export interface CampaignTextTable {
  survey: string;
  kind: string;
  language: string;
  subject: string;
  body: string;
  updated_at: string;
  updated_by: string | null;
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
