export type ExtendAction = "no_action_needed" | "authentication_needed" | "reconfirmation_of_consent_needed";

export interface DataError {
  status: number;
  error: string;
  description: string;
}

export interface Persona {
  key: string;
  /** Account holder name shown in the dialog and account descriptions. */
  holder: string;
  extend: ExtendAction;
  /** Whether extend's no_action_needed returns (and rotates to) a new refresh token. */
  rotateOnExtend: boolean;
  /** The bank re-authentication page can only end in a cancel. */
  reauthCancels: boolean;
  accountSet: "standard" | "multi" | "sparse";
  distinctIbans: boolean;
  dataError: DataError | null;
}

const base: Omit<Persona, "key"> = {
  holder: "John Doe",
  extend: "authentication_needed",
  rotateOnExtend: true,
  reauthCancels: false,
  accountSet: "standard",
  distinctIbans: false,
  dataError: null,
};

const errorPersonas: Record<string, DataError> = {
  account_permanently_locked: {
    status: 403,
    error: "account_permanently_locked",
    description: "The account is permanently locked at the provider.",
  },
  account_temporarily_locked: {
    status: 403,
    error: "account_temporarily_locked",
    description: "The account is temporarily locked at the provider; try again later.",
  },
  internal_error: { status: 500, error: "internal_error", description: "Internal server error." },
  provider_error: { status: 502, error: "provider_error", description: "The provider returned an error." },
  user_input_required: {
    status: 403,
    error: "user_input_required",
    description: "The provider needs the user to act before data can be shared.",
  },
  wrong_credentials: {
    status: 401,
    error: "wrong_credentials",
    description: "The credentials held for this connection were rejected by the provider.",
  },
};

const johnPersonas: Record<string, Omit<Persona, "key">> = {
  doe: base,
  iban: { ...base, distinctIbans: true },
  eternal: { ...base, holder: "John Eternal", extend: "no_action_needed" },
  norotate: { ...base, holder: "John Norotate", extend: "no_action_needed", rotateOnExtend: false },
  reconfirm: { ...base, holder: "John Reconfirm", extend: "reconfirmation_of_consent_needed" },
  cancel: { ...base, holder: "John Cancel", reauthCancels: true },
  multi: { ...base, holder: "John Multi", accountSet: "multi" },
  sparse: { ...base, holder: "John Sparse", accountSet: "sparse" },
};

export function personaByKey(key: string): Persona | undefined {
  const john = johnPersonas[key];
  if (john) return { key, ...john };
  const error = key.startsWith("error.") ? errorPersonas[key.slice("error.".length)] : undefined;
  return error ? { key, ...base, holder: "Error Tester", dataError: error } : undefined;
}

const numbered = /^([a-z]+)(?:[1-9][0-9]?|100)?$/;

/** Returns the persona for a login, or undefined for wrong credentials. */
export function findPersona(username: string, password: string): Persona | undefined {
  const user = username.trim().toLowerCase();
  if (user.startsWith("error.")) {
    return password === "error" ? personaByKey(user) : undefined;
  }
  const userMatch = numbered.exec(user);
  if (userMatch?.[1] !== "john") return undefined;
  const numberedUser = user !== "john";
  const passMatch = numbered.exec(password);
  const passKey = passMatch?.[1];
  if (passKey === "doe" || passKey === "iban") return personaByKey(passKey);
  // The extra personas exist only for plain "john", exactly as typed.
  return numberedUser || password !== passKey ? undefined : personaByKey(password);
}
