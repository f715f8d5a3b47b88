// Link-layer type numbers (https://www.tcpdump.org/linktypes.html) and cap's names for them.

export const LINKTYPE = {
  NULL: 0,
  ETHERNET: 1,
  /** DLT_RAW as most BSDs and Linux number it; decoded like RAW. */
  RAW_DLT12: 12,
  /** DLT_RAW on BSD/OS; decoded like RAW. */
  RAW_DLT14: 14,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  IEEE802_11_RADIO: 127,
  IPV4: 228,
  IPV6: 229,
  NFLOG: 239,
  LINUX_SLL2: 276,
} as const;

const CAP_NAMES: Record<string, number> = {
  NULL: LINKTYPE.NULL,
  ETHERNET: LINKTYPE.ETHERNET,
  IEEE802_11_RADIO: LINKTYPE.IEEE802_11_RADIO,
  LINKTYPE_LINUX_SLL: LINKTYPE.LINUX_SLL,
  LINUX_SLL: LINKTYPE.LINUX_SLL,
  LINKTYPE_LINUX_SLL2: LINKTYPE.LINUX_SLL2,
  LINUX_SLL2: LINKTYPE.LINUX_SLL2,
  RAW: LINKTYPE.RAW,
  IPV4: LINKTYPE.IPV4,
  IPV6: LINKTYPE.IPV6,
};

/**
 * Maps cap's link-type string ('ETHERNET', 'LINKTYPE_LINUX_SLL', 'RAW', 'NULL', ...) to a DLT
 * number, or undefined. cap reports types it has no name for as 'Unknown linktype N'.
 */
export function linkTypeFromCap(name: string): number | undefined {
  const known = CAP_NAMES[name];
  if (known !== undefined) return known;
  const m = /^Unknown linktype (\d+)$/.exec(name);
  return m ? Number(m[1]) : undefined;
}
