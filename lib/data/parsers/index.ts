/** Parser registry: manifest `parser` name → function. One parser per real format, one file each. */
import type { ParserName } from '../manifest';
import type { Parser } from '../record';
import { parseAasce } from './aasce';
import { parseBrax } from './brax';
import { parseChexpert } from './chexpert';
import { parseCovidChestxray } from './covid-chestxray';
import { parseJsrt } from './jsrt';
import { parseMimic } from './mimic';
import { parseMimicLt } from './mimic-lt';
import { parseNih } from './nih';
import { parsePadchest } from './padchest';
import { parsePaxray } from './paxray';
import { parsePolcovid } from './polcovid';
import { parseRanzcr } from './ranzcr';
import { parseSiim } from './siim';
import { parseVindr } from './vindr';
import { parseVindrRib } from './vindr-rib';

const synthetic: Parser = async () => { throw new Error("parser 'synthetic' is handled by loadDataset through lib/data/synthetic"); };

export const PARSERS: Record<ParserName, Parser> = {
  nih: parseNih,
  chexpert: parseChexpert,
  mimic: parseMimic,
  'mimic-lt': parseMimicLt,
  padchest: parsePadchest,
  vindr: parseVindr,
  brax: parseBrax,
  polcovid: parsePolcovid,
  siim: parseSiim,
  jsrt: parseJsrt,
  'vindr-rib': parseVindrRib,
  paxray: parsePaxray,
  aasce: parseAasce,
  ranzcr: parseRanzcr,
  'covid-chestxray': parseCovidChestxray,
  synthetic,
};
