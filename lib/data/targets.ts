/** The regression targets a spine radiograph carries: the three Cobb angles of AASCE 2019 (proximal thoracic, main thoracic, thoracolumbar), for the AASCE parser and the synthetic spine variant alike. */
export const COBB_TARGETS = ['cobb_pt', 'cobb_mt', 'cobb_tl'] as const;
