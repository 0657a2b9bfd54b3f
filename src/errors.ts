/**
 * The one registry of Cairnet's error codes.
 *
 * Every error that crosses a boundary (HTTP, CLI, import, upload) is a {@link CairnetError}
 * with a stable code from {@link ERRORS}. HTTP clients receive
 * `{statusCode, code, error, message, details?}`; the CLI prints `error CODE: message` and exits
 * with the code's `exit` status.
 *
 * @example
 * throw cairnetError('CAIRNET_INSTRUMENT_NOT_FOUND', 'No instrument named "x"');
 */

export interface ErrorSpec {
  /** HTTP status when the error reaches a client. */
  status: number;
  /** CLI exit status. */
  exit: number;
  /** What the code means, for the README and `cairnet errors`. */
  description: string;
}

export const ERRORS = {
  // --- general ---
  CAIRNET_BAD_REQUEST: { status: 400, exit: 2, description: 'The request or arguments are malformed.' },
  CAIRNET_INVALID_JSON: { status: 400, exit: 2, description: 'The body is not valid JSON.' },
  CAIRNET_PAYLOAD_TOO_LARGE: { status: 413, exit: 2, description: 'The body is larger than allowed.' },
  CAIRNET_NOT_FOUND: { status: 404, exit: 3, description: 'No such resource.' },
  CAIRNET_UNAUTHENTICATED: { status: 401, exit: 4, description: 'Log in first.' },
  CAIRNET_FORBIDDEN: { status: 403, exit: 4, description: 'Your role does not allow this.' },
  CAIRNET_CSRF: { status: 403, exit: 4, description: 'Missing or wrong CSRF token.' },
  CAIRNET_RATE_LIMITED: { status: 429, exit: 5, description: 'Too many requests; wait and retry.' },
  CAIRNET_INTERNAL: { status: 500, exit: 1, description: 'An unexpected error; see the server log.' },
  CAIRNET_USAGE: { status: 400, exit: 2, description: 'A command-line argument is missing or wrong.' },
  CAIRNET_FILE_UNREADABLE: { status: 400, exit: 2, description: 'A file could not be read.' },

  // --- store ---
  CAIRNET_DB_UNREACHABLE: { status: 503, exit: 6, description: 'The database cannot be reached.' },
  CAIRNET_DB_URL_INVALID: {
    status: 500,
    exit: 2,
    description: 'The --db value or DATABASE_URL is not understood.',
  },

  // --- instrument ---
  CAIRNET_INSTRUMENT_NOT_FOUND: { status: 404, exit: 3, description: 'No instrument with that name.' },
  CAIRNET_INSTRUMENT_INVALID: {
    status: 422,
    exit: 7,
    description: 'The questionnaire JSON breaks a SurveyJS or Cairnet rule.',
  },
  CAIRNET_IMPORT_INVALID: {
    status: 422,
    exit: 7,
    description: 'An imported file cannot become an instrument.',
  },

  CAIRNET_SURVEY_SYNTHETIC_REFUSED: {
    status: 409,
    exit: 8,
    description: 'A real survey (or one holding real responses) takes no synthetic responses.',
  },
  CAIRNET_SURVEY_REAL_REFUSED: {
    status: 409,
    exit: 8,
    description: 'A demonstration survey (synthetic responses only) takes no real response.',
  },
  CAIRNET_SURVEY_NOT_DEMO: {
    status: 409,
    exit: 8,
    description: 'Only a demonstration survey can be removed with `cairnet demo --remove`.',
  },
  CAIRNET_DEMO_UNSATISFIABLE: {
    status: 422,
    exit: 7,
    description:
      'No synthetic response drawn from the questionnaire passes its rules (the question and the rule are named); nothing was stored.',
  },
  CAIRNET_DEMO_OTHER_SOURCE: {
    status: 409,
    exit: 8,
    description:
      'The demonstration survey holds synthetic responses drawn from another questionnaire; remove it first (`cairnet demo --remove`).',
  },

  CAIRNET_INSTRUMENT_EXPORT_UNSUPPORTED: {
    status: 422,
    exit: 7,
    description: 'The questionnaire holds something the export format cannot say (named in the message).',
  },

  // --- responses ---
  CAIRNET_RESPONSE_INVALID: {
    status: 422,
    exit: 7,
    description: 'The answers break the questionnaire rules; see details per question.',
  },
  CAIRNET_RESPONSE_UNKNOWN_FIELD: {
    status: 422,
    exit: 7,
    description: 'The answers name a question the questionnaire does not have.',
  },
  CAIRNET_DRAFT_TOKEN_INVALID: { status: 400, exit: 2, description: 'The resume token is malformed.' },
  CAIRNET_DRAFT_NOT_FOUND: { status: 404, exit: 3, description: 'No draft with that resume token.' },
  CAIRNET_RESPONSE_ALREADY_COMPLETED: {
    status: 409,
    exit: 8,
    description: 'This invitation or draft already has a completed response.',
  },
  CAIRNET_IDEMPOTENCY_CONFLICT: {
    status: 409,
    exit: 8,
    description: 'The idempotency key was already used with different answers.',
  },
  CAIRNET_INVITATION_REQUIRED: {
    status: 403,
    exit: 4,
    description:
      'This survey is answered by invitation only: a valid personal link (invitationToken) is needed.',
  },
  CAIRNET_QUOTA_FULL: {
    status: 409,
    exit: 8,
    description:
      "The response would enter a full quota of the questionnaire: refused with the quota's message, nothing stored.",
  },
  CAIRNET_OPEN_SUBMIT_RATE_LIMITED: {
    status: 429,
    exit: 5,
    description:
      'Too many open submissions (completions and new drafts) from this address this minute; retry after Retry-After seconds.',
  },

  // --- users ---
  CAIRNET_USER_EXISTS: { status: 409, exit: 8, description: 'A user with that e-mail already exists.' },
  CAIRNET_LOGIN_FAILED: { status: 401, exit: 4, description: 'Wrong e-mail or password.' },
  CAIRNET_USER_NOT_FOUND: { status: 404, exit: 3, description: 'No member of the survey team with that id.' },
  CAIRNET_LAST_ADMIN: {
    status: 409,
    exit: 8,
    description: 'The last enabled admin can be neither demoted nor disabled.',
  },
  CAIRNET_LINK_INVALID: {
    status: 404,
    exit: 3,
    description: 'A one-time link (first admin set-up, password reset) is unknown, used or expired.',
  },

  // --- analysis (stats, dataset, plan) ---
  CAIRNET_CSV_INVALID: { status: 400, exit: 2, description: 'The CSV file cannot be read as a table.' },
  CAIRNET_COLUMN_UNKNOWN: { status: 400, exit: 2, description: 'A named column is not in the data.' },
  CAIRNET_STATS_INVALID: {
    status: 422,
    exit: 7,
    description: 'The data do not allow this estimate (empty group, bad weights, …).',
  },
  CAIRNET_PLAN_INVALID: { status: 422, exit: 7, description: 'The analysis plan breaks its schema.' },
  CAIRNET_DATASET_EMPTY: {
    status: 422,
    exit: 7,
    description: 'There are no completed responses to analyse.',
  },

  CAIRNET_WEIGHTING_FILE: {
    status: 422,
    exit: 7,
    description: "The plan's weighting margins file is missing or not a table of variable, level, count.",
  },
  CAIRNET_WEIGHTING_MARGINS: {
    status: 422,
    exit: 7,
    description:
      'The weighting margins do not fit the responses (a level without margin, a margin without respondent, a zero count).',
  },
  CAIRNET_WEIGHTING_MISSING: {
    status: 422,
    exit: 7,
    description: 'Respondents have no value on a weighting variable: raking needs every one of them.',
  },

  // --- typology ---
  CAIRNET_TYPOLOGY_INVALID: {
    status: 422,
    exit: 7,
    description: 'The typology cannot be computed on these data.',
  },

  // --- exports / imports ---
  CAIRNET_IMPORT_FORMAT_UNKNOWN: {
    status: 400,
    exit: 2,
    description: 'The file is not an XLSForm (.xlsx), a LimeSurvey .lss or a SurveyJS JSON questionnaire.',
  },
  CAIRNET_IMPORT_TOO_LARGE: {
    status: 413,
    exit: 2,
    description: 'The imported file (or one of its sheets or lists) is larger than allowed.',
  },
  CAIRNET_IMPORT_MALFORMED: {
    status: 422,
    exit: 7,
    description: 'The imported file cannot be parsed: broken XML, not a workbook, a missing sheet or column.',
  },
  CAIRNET_IMPORT_QUESTION_TYPE_UNKNOWN: {
    status: 422,
    exit: 7,
    description: 'The imported questionnaire uses a question type that neither its tool nor Cairnet knows.',
  },
  CAIRNET_IMPORT_EXPRESSION_INVALID: {
    status: 422,
    exit: 7,
    description:
      'An expression of the imported file is broken (an unbalanced quote or parenthesis); details list every one with its question or cell.',
  },
  CAIRNET_IMPORT_QUOTA_INVALID: {
    status: 422,
    exit: 7,
    description:
      "A row of the XLSForm's cairnet_quotas sheet is wrong (a missing limit, an unknown question, a value not among its choices…); details list every one with its cell. Nothing is imported.",
  },
  CAIRNET_IMPORT_NOT_CARRIED: {
    status: 422,
    exit: 7,
    description:
      'A strict import (--strict) refused the file: something in it cannot be carried over; details list every loss.',
  },
  CAIRNET_IMPORT_XLS_LEGACY: {
    status: 415,
    exit: 2,
    description: 'The file is an old Excel 97-2003 workbook (.xls): save it as .xlsx first.',
  },
  CAIRNET_EXPORT_FORMAT_UNKNOWN: {
    status: 400,
    exit: 2,
    description:
      'The export format is not one of csv, xlsx, sav (csv, xlsx for the population; md, json for the codebook).',
  },

  // --- associations ---
  CAIRNET_REGISTRY_INVALID: {
    status: 422,
    exit: 7,
    description: 'The association registry file is invalid.',
  },
  CAIRNET_ASSOCIATION_NOT_FOUND: {
    status: 404,
    exit: 3,
    description: 'No association registry entry has this id.',
  },
  CAIRNET_ASSOCIATION_EXISTS: {
    status: 409,
    exit: 8,
    description: 'A registry entry with this id already exists.',
  },
  CAIRNET_DECISION_INVALID: {
    status: 422,
    exit: 7,
    description: 'The review decision is malformed (kind, mentions, entry).',
  },
  CAIRNET_MENTION_UNKNOWN: {
    status: 422,
    exit: 7,
    description: 'No stored response cites this association name (after normalising case, accents, spacing).',
  },
  CAIRNET_DECISION_NOT_FOUND: {
    status: 404,
    exit: 3,
    description: 'No review decision has this id.',
  },
  CAIRNET_DECISION_ALREADY_UNDONE: {
    status: 409,
    exit: 8,
    description: 'This review decision was already undone.',
  },
  CAIRNET_DECISION_HAS_DEPENDANTS: {
    status: 409,
    exit: 8,
    description: 'Later decisions use the entry this one created: undo them first (listed in details).',
  },

  // --- campaign ---
  CAIRNET_POPULATION_FILE_INVALID: {
    status: 400,
    exit: 2,
    description: 'The population file cannot be read as a table (bad CSV or XLSX, no header, no rows).',
  },
  CAIRNET_POPULATION_MAPPING_INVALID: {
    status: 400,
    exit: 2,
    description: 'The column mapping names an unknown field or column, or maps no e-mail column.',
  },
  CAIRNET_POPULATION_INVALID: {
    status: 422,
    exit: 7,
    description:
      'Rows of the population file are invalid (duplicates, malformed addresses, unknown languages); nothing was stored.',
  },
  CAIRNET_PERSON_NOT_FOUND: {
    status: 404,
    exit: 3,
    description: 'No one in the population with that e-mail.',
  },
  CAIRNET_INVITATION_TOKEN_INVALID: {
    status: 400,
    exit: 2,
    description: 'The invitation token is malformed.',
  },
  CAIRNET_INVITATION_NOT_FOUND: {
    status: 404,
    exit: 3,
    description: 'No invitation with that token (or the person was erased).',
  },
  CAIRNET_MAIL_CONFIG_INVALID: {
    status: 500,
    exit: 2,
    description: 'CAIRNET_SMTP_URL, CAIRNET_MAIL_FROM or CAIRNET_PUBLIC_URL is missing or malformed.',
  },
  CAIRNET_MAIL_UNREACHABLE: {
    status: 503,
    exit: 6,
    description:
      'The SMTP server could not be reached or dropped the connection; the run stopped, nothing is sent twice.',
  },
  CAIRNET_MESSAGE_PLACEHOLDER_UNKNOWN: {
    status: 422,
    exit: 7,
    description: 'A message text uses a placeholder that does not exist (the known ones are listed).',
  },
  CAIRNET_MESSAGE_TEXT_INVALID: {
    status: 422,
    exit: 7,
    description: 'A message text is empty, too long, or lacks the personal link it must hold.',
  },
  CAIRNET_CAMPAIGN_SETTING_INVALID: {
    status: 400,
    exit: 2,
    description: 'A campaign setting has an unknown name or a bad value.',
  },
  CAIRNET_CAMPAIGN_CLOSED: {
    status: 409,
    exit: 8,
    description: 'The campaign is closed (closed_at is set): no more invitations or reminders.',
  },
  CAIRNET_JOB_ACTIVE: {
    status: 409,
    exit: 8,
    description: 'A sending job of that kind is already queued or running (its id is in details.jobId).',
  },
  CAIRNET_JOB_INTERRUPTED: {
    status: 503,
    exit: 1,
    description: 'A sending run was stopped (Ctrl-C) before its end; nothing was sent twice, run it again.',
  },
  CAIRNET_JOB_NOT_FOUND: { status: 404, exit: 3, description: 'No background job with that id.' },
  CAIRNET_CAMPAIGN_INSTRUMENT_MISMATCH: {
    status: 409,
    exit: 8,
    description: 'No longer raised since each survey has its own campaign (kept for old scripts).',
  },
  CAIRNET_PRESS_CONTACT_NOT_FOUND: {
    status: 404,
    exit: 3,
    description: 'No contactable respondent with that handle (unknown, not opted in, erased or opted out).',
  },
  CAIRNET_PRESS_REQUEST_INVALID: {
    status: 422,
    exit: 7,
    description: 'A press contact request is malformed (empty or too long a message).',
  },
  CAIRNET_PRESS_REQUEST_PENDING: {
    status: 409,
    exit: 8,
    description: 'That respondent has not answered the previous contact request yet.',
  },
  CAIRNET_PRESS_SEARCH_INVALID: {
    status: 400,
    exit: 2,
    description:
      'A press search names a field the survey is not searched by, or an answer its question does not offer.',
  },
  CAIRNET_PRESS_CONFIG_INVALID: {
    status: 500,
    exit: 7,
    description:
      'A survey\'s press-contact.json is malformed (its "search" part): the message names the key.',
  },
  // --- publishing (report, press release, results pages) ---
  CAIRNET_PUBLISH_UNBOUND_NUMBER: {
    status: 500,
    exit: 7,
    description: 'An output holds a number not bound to an indicator (data-indicator); nothing was written.',
  },
  CAIRNET_PUBLISH_TEMPLATE_INVALID: {
    status: 422,
    exit: 7,
    description: 'A press-release template names an unknown indicator, group or filter, or is malformed.',
  },
  CAIRNET_PUBLISH_CLAIM_CONTRADICTED: {
    status: 422,
    exit: 7,
    description:
      'A claim of a press-release template ("a majority", "few fear") is contradicted by the estimate; nothing was written.',
  },
  CAIRNET_PUBLISH_PDF_UNAVAILABLE: {
    status: 503,
    exit: 6,
    description: 'Chromium could not be started to print the PDF (set CAIRNET_CHROMIUM).',
  },
  CAIRNET_RESULTS_SYNTHETIC_REFUSED: {
    status: 409,
    exit: 8,
    description: 'A demonstration survey (synthetic responses) is never published on the public page.',
  },
  CAIRNET_RESULTS_NOT_PUBLISHED: {
    status: 404,
    exit: 3,
    description: 'The results of this instrument are not published.',
  },
  CAIRNET_SNAPSHOT_NOT_FOUND: {
    status: 404,
    exit: 3,
    description: 'No results snapshot has this id (see `cairnet results list`).',
  },
  CAIRNET_SNAPSHOT_PUBLISHED: {
    status: 409,
    exit: 8,
    description: 'This results snapshot is or was published: it is kept and cannot be deleted.',
  },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

/** An error with a stable code; the only kind of error a boundary lets through. */
export class CairnetError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  readonly exitCode: number;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'CairnetError';
    this.code = code;
    this.statusCode = ERRORS[code].status;
    this.exitCode = ERRORS[code].exit;
    this.details = details;
  }

  /** The JSON body an HTTP client receives. */
  toJSON(): { statusCode: number; code: ErrorCode; error: string; message: string; details?: unknown } {
    return {
      statusCode: this.statusCode,
      code: this.code,
      error: httpReason(this.statusCode),
      message: this.message,
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

/** Makes a {@link CairnetError}. */
export function cairnetError(code: ErrorCode, message: string, details?: unknown): CairnetError {
  return new CairnetError(code, message, details);
}

export function isCairnetError(e: unknown): e is CairnetError {
  return e instanceof CairnetError;
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

function httpReason(status: number): string {
  return REASONS[status] ?? 'Error';
}
