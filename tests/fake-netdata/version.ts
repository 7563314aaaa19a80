// Agent version gates (netdata-api.md §2.6, §7): older agents ignore newer parameters and options.

export interface AgentVersion {
  text: string;
  major: number;
  minor: number;
  patch: number;
}

export function parseVersion(text: string): AgentVersion {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  if (!m) {
    return { text, major: 0, minor: 0, patch: 0 };
  }
  return { text, major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0) };
}

export function atLeast(v: AgentVersion, major: number, minor: number, patch = 0): boolean {
  if (v.major !== major) {
    return v.major > major;
  }
  if (v.minor !== minor) {
    return v.minor > minor;
  }
  return v.patch >= patch;
}

/** Default agent version per API level: 1 = Netdata 1.37 (v1 only), 2 = v1.41..v1.99, 3 = >= v2.0. */
export function defaultVersion(apiLevel: 1 | 2 | 3): string {
  return apiLevel === 1 ? 'v1.37.1' : apiLevel === 2 ? 'v1.47.5' : 'v2.9.0';
}
