import { ipInRange, parseCidr, parseIp, type IpRange } from '../parse/ip.parse';
import { rememberLast } from '../parse/remember-last';
import type { OperatorDefinition } from './operator.types';

/** `cidr`: the IP attribute lies in one of the ranges (a bare address is a single-host range). */
export const cidrOperator: OperatorDefinition = {
  supportsCaseInsensitive: false,
  checkValue: (value) => (parseCidr(value) === undefined ? 'cidr needs CIDR ranges or IP addresses' : undefined),
  compile: (values) => {
    const ranges = values.map(parseCidr).filter((r): r is IpRange => r !== undefined);
    const parseAttribute = rememberLast(parseIp);
    return (attribute) => {
      const address = parseAttribute(attribute);
      if (address === undefined) return false;
      for (const range of ranges) if (ipInRange(address, range)) return true;
      return false;
    };
  },
};
