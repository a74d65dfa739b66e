// Types of environment.mjs, for the tests and helpers that import it.

export type RequirementId = 'openssl' | 'curl' | 'chromium' | 'emoji-font'

export interface Requirement {
  readonly id: RequirementId
  /** The Debian package apt-get installs. */
  readonly debian: string
  /** What to install where there is no apt-get. */
  readonly elsewhere: string
  readonly why: string
}

/** What the decision looks at; systemProbe() is the real machine, tests inject their own. */
export interface Probe {
  readonly platform: NodeJS.Platform
  /** undefined where there are no uids (Windows). */
  readonly uid: number | undefined
  readonly env: Readonly<Record<string, string | undefined>>
  hasCommand(name: string): boolean
  isExecutable(path: string): boolean
  emojiFont(): 'present' | 'missing' | 'unknown'
  /** `sudo -n true` succeeds. */
  canSudo(): boolean
}

export interface Missing {
  readonly requirement: Requirement
  /** false when installing the package would not help (a wrong CHROMIUM_PATH). */
  readonly installable: boolean
  readonly detail?: string
}

export type Decision =
  | { readonly action: 'skip'; readonly message: string }
  | { readonly action: 'ready' }
  | {
      readonly action: 'install'
      readonly missing: readonly Missing[]
      readonly packages: readonly string[]
      readonly sudo: boolean
      readonly commands: readonly (readonly string[])[]
    }
  | { readonly action: 'stop'; readonly missing: readonly Missing[]; readonly line: string }

export const SKIP_VARIABLE: 'DLG_SKIP_ENV_CHECK'
export const DEFAULT_CHROMIUM_PATH: '/usr/bin/chromium'
export const APT_EXTRAS: readonly string[]
export const REQUIREMENTS: readonly Requirement[]

export function requirement(id: RequirementId): Requirement
export function chromiumPath(env: Readonly<Record<string, string | undefined>>): string
export function missingMessage(id: RequirementId, env?: Readonly<Record<string, string | undefined>>): string
export function findMissing(probe: Probe): Missing[]
export function aptCommands(packages: readonly string[], sudo: boolean): string[][]
export function stopLine(
  missing: readonly Missing[],
  context: { apt: boolean; root: boolean; reason?: string | undefined },
): string
export function decide(probe: Probe, attempt?: { status: number | null }): Decision
export function systemProbe(env?: Readonly<Record<string, string | undefined>>): Probe
export function main(probe?: Probe): number
