/** Special functions behind the p-values (scipy.special equivalents). */
export { lgamma, gammaP, gammaQ } from './gamma';
export { lbeta, betaInc, betaIncPair } from './beta';
export { erf, erfc, normalCdf, normalSf } from './normal';
export { studentTSf, studentTCdf, tQuantile } from './student-t';
