export interface Provider {
  id: string;
  displayName: string;
  /** Four-letter bank code used inside IBANs. */
  bankCode: string;
  swiftBic: string;
  sortCodePrefix: string;
  logoSvg: string;
}

function logo(colour: string, mark: string): string {
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64" role="img">',
    `<rect width="64" height="64" rx="14" fill="${colour}"/>`,
    mark,
    "</svg>",
  ].join("");
}

export const providers: Provider[] = [
  {
    id: "uk-cs-mock",
    displayName: "Mock UK Bank",
    bankCode: "MOCK",
    swiftBic: "MOCKGB21",
    sortCodePrefix: "040004",
    logoSvg: logo(
      "#0b6e4f",
      '<path d="M12 48V26l20-12 20 12v22z" fill="#fff"/><rect x="20" y="30" width="6" height="14" fill="#0b6e4f"/><rect x="38" y="30" width="6" height="14" fill="#0b6e4f"/>',
    ),
  },
  {
    id: "uk-ob-mock-harbour",
    displayName: "Harbour Building Society",
    bankCode: "HRBR",
    swiftBic: "HRBRGB2L",
    sortCodePrefix: "207106",
    logoSvg: logo(
      "#1d3557",
      '<path d="M10 40c6 6 14 6 22 0s16-6 22 0v10H10z" fill="#a8dadc"/><path d="M32 12v26M22 22h20" stroke="#fff" stroke-width="5" stroke-linecap="round"/>',
    ),
  },
  {
    id: "uk-oauth-mock-kestrel",
    displayName: "Kestrel Bank",
    bankCode: "KSTL",
    swiftBic: "KSTLGB2L",
    sortCodePrefix: "309412",
    logoSvg: logo(
      "#c2410c",
      '<path d="M8 40 32 18l24 22-24-8z" fill="#fff"/><circle cx="32" cy="44" r="5" fill="#fff"/>',
    ),
  },
];

export function providerById(id: string | null | undefined): Provider | undefined {
  return providers.find((p) => p.id === id);
}

export function logoUri(baseUrl: string, provider: Provider): string {
  return `${baseUrl}/_sandbox/logos/${provider.id}.svg`;
}

/** TrueLayer's JS client fixtures show the sandbox mock bank as provider_id "mock", named "Mock". */
const publicMock = { id: "mock", displayName: "Mock" };

/** How a bank is named to users and in answers; `publicNames` applies the truelayer-sandbox naming. */
export function shownProvider(provider: Provider, publicNames: boolean): Provider {
  return publicNames && provider.id === "uk-cs-mock"
    ? { ...provider, displayName: publicMock.displayName }
    : provider;
}

/** The `provider` object of /me and /accounts answers; the logo stays on the simulator. */
export function providerAnswer(baseUrl: string, providerId: string, publicNames: boolean) {
  const provider = providerById(providerId);
  if (!provider) return { display_name: providerId, logo_uri: "", provider_id: providerId };
  const shown = shownProvider(provider, publicNames);
  return {
    display_name: shown.displayName,
    logo_uri: logoUri(baseUrl, provider),
    provider_id: publicNames && provider.id === "uk-cs-mock" ? publicMock.id : provider.id,
  };
}

/**
 * Which mock banks a `providers` list selects: an exact id, `mock` (all of them),
 * `<prefix>-all` (ids starting with `<prefix>-`, e.g. uk-ob-all), or enable_mock=true (all).
 */
export function coveredProviders(tokens: string[], enableMock: boolean): Provider[] {
  return providers.filter(
    (p) =>
      enableMock ||
      tokens.some(
        (t) => t === p.id || t === "mock" || (t.endsWith("-all") && p.id.startsWith(t.slice(0, -3))),
      ),
  );
}
