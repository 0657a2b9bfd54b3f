/**
 * Conditions used to invent demonstration associations (and the enlarged benchmark registry).
 * Each line: gender/number (m, f, mp, fp), the noun phrase, a short name, the disease area.
 */
const LINES = `f|maladie de Gaucher|Gaucher|lysosomal diseases
f|maladie de Fabry|Fabry|lysosomal diseases
f|maladie de Pompe|Pompe|lysosomal diseases
f|maladie de Wilson|Wilson|metabolic diseases
f|maladie de Behçet|Behçet|vasculitis
f|maladie de Still|Still|autoinflammatory diseases
f|maladie de Kawasaki|Kawasaki|vasculitis
f|maladie de Ménière|Ménière|ear diseases
f|maladie de Paget|Paget|bone diseases
f|maladie de Horton|Horton|vasculitis
f|maladie de Willebrand|Willebrand|bleeding disorders
f|maladie de Hirschsprung|Hirschsprung|digestive diseases
f|maladie de Lyme|Lyme|infectious diseases
f|maladie de Verneuil|Verneuil|skin diseases
f|maladie de Dupuytren|Dupuytren|hand diseases
f|maladie de Tay-Sachs|Tay-Sachs|lysosomal diseases
f|maladie de Niemann-Pick|Niemann-Pick|lysosomal diseases
f|maladie de Stargardt|Stargardt|retinal disease
f|maladie de Castleman|Castleman|lymphoid disorders
f|maladie de Cushing|Cushing|endocrine diseases
f|maladie d'Addison|Addison|endocrine diseases
f|maladie de Basedow|Basedow|thyroid diseases
f|maladie de Hashimoto|Hashimoto|thyroid diseases
f|maladie de Recklinghausen|Recklinghausen|neurofibromatosis
f|maladie de Marfan|Marfan|connective tissue diseases
f|maladie de Steinert|Steinert|neuromuscular diseases
f|maladie de Kennedy|Kennedy|neuromuscular diseases
f|maladie de Charcot|Charcot|ALS
f|maladie de Biermer|Biermer|blood diseases
f|maladie de Takayasu|Takayasu|vasculitis
f|maladie de Moyamoya|Moyamoya|cerebrovascular diseases
f|maladie de Rendu-Osler|Rendu-Osler|vascular diseases
f|maladie de Scheuermann|Scheuermann|spine diseases
f|maladie de Kahler|Kahler|myeloma
f|maladie de Waldenström|Waldenström|blood cancers
f|maladie de Hodgkin|Hodgkin|lymphoma
f|maladie cœliaque|cœliaque|coeliac disease
f|maladie de Batten|Batten|neurodegenerative diseases
f|maladie de Krabbe|Krabbe|leukodystrophies
f|maladie de Canavan|Canavan|leukodystrophies
f|maladie de Fahr|Fahr|neurodegenerative diseases
f|maladie de Gilbert|Gilbert|liver diseases
f|maladie de Caroli|Caroli|liver diseases
f|maladie de Legg-Perthes|Legg-Perthes|bone diseases
f|maladie de Sandhoff|Sandhoff|lysosomal diseases
f|maladie de Refsum|Refsum|metabolic diseases
f|maladie de Menkes|Menkes|metabolic diseases
f|maladie de Unverricht|Unverricht|epilepsy
f|maladie de Lafora|Lafora|epilepsy
f|maladie de Bowen|Bowen|skin diseases
m|syndrome de Marfan-Loeys|Loeys-Dietz|connective tissue diseases
m|syndrome d'Ehlers-Danlos|Ehlers-Danlos|connective tissue diseases
m|syndrome de Williams|Williams|genetic syndromes
m|syndrome d'Angelman|Angelman|genetic syndromes
m|syndrome de Sotos|Sotos|genetic syndromes
m|syndrome de Noonan|Noonan|genetic syndromes
m|syndrome de Kabuki|Kabuki|genetic syndromes
m|syndrome de Cornelia de Lange|Cornelia de Lange|genetic syndromes
m|syndrome de l'X fragile|X fragile|genetic syndromes
m|syndrome de DiGeorge|DiGeorge|genetic syndromes
m|syndrome de Klinefelter|Klinefelter|genetic syndromes
m|syndrome de Wolf-Hirschhorn|Wolf-Hirschhorn|genetic syndromes
m|syndrome de Smith-Magenis|Smith-Magenis|genetic syndromes
m|syndrome de Sjögren|Sjögren|autoimmune diseases
m|syndrome de Gougerot|Gougerot|autoimmune diseases
m|syndrome de Guillain-Barré|Guillain-Barré|neuropathies
m|syndrome de Tourette|Tourette|neurodevelopment
m|syndrome d'Asperger|Asperger|autism
m|syndrome de Dravet|Dravet|epilepsy
m|syndrome de West|West|epilepsy
m|syndrome de Lennox-Gastaut|Lennox-Gastaut|epilepsy
m|syndrome de Cockayne|Cockayne|genetic syndromes
m|syndrome de Bardet-Biedl|Bardet-Biedl|ciliopathies
m|syndrome d'Alport|Alport|kidney disease
m|syndrome de Goodpasture|Goodpasture|kidney disease
m|syndrome de Lowe|Lowe|kidney disease
m|syndrome de Cohen|Cohen|genetic syndromes
m|syndrome de Pierre Robin|Pierre Robin|craniofacial anomalies
m|syndrome de Treacher Collins|Treacher Collins|craniofacial anomalies
m|syndrome de Moebius|Moebius|craniofacial anomalies
m|syndrome de Usher|Usher|deaf-blindness
m|syndrome de Wolfram|Wolfram|metabolic diseases
m|syndrome de Leigh|Leigh|mitochondrial diseases
m|syndrome des jambes sans repos|jambes sans repos|sleep disorders
m|syndrome de fatigue chronique|fatigue chronique|chronic fatigue
m|syndrome néphrotique|néphrotique|kidney disease
m|syndrome de Raynaud|Raynaud|vascular diseases
m|lupus érythémateux|lupus|lupus
m|psoriasis|psoriasis|skin diseases
m|vitiligo|vitiligo|skin diseases
m|pemphigus|pemphigus|skin diseases
m|glaucome|glaucome|eye diseases
m|kératocône|kératocône|eye diseases
m|rétinoblastome|rétinoblastome|childhood cancer
m|neuroblastome|neuroblastome|childhood cancer
m|mélanome|mélanome|skin cancer
m|mésothéliome|mésothéliome|cancer
m|cancer du sein|cancer du sein|breast cancer
m|cancer de la prostate|prostate|prostate cancer
m|cancer du pancréas|pancréas|pancreatic cancer
m|cancer du poumon|poumon|lung cancer
m|cancer de l'ovaire|ovaire|ovarian cancer
m|cancer colorectal|colorectal|colorectal cancer
m|cancer de la thyroïde|thyroïde|thyroid cancer
m|cancer du rein|cancer du rein|kidney cancer
m|sarcome|sarcome|sarcoma
m|lymphome|lymphome|lymphoma
m|diabète de type 1|diabète de type 1|diabetes
m|bégaiement|bégaiement|speech disorders
m|strabisme|strabisme|eye diseases
m|kératoconus|kératoconus|eye diseases
m|spina bifida|spina bifida|neural tube defects
m|rachitisme vitamino-résistant|rachitisme|bone diseases
m|xeroderma pigmentosum|xeroderma|skin diseases
m|pseudoxanthome élastique|pseudoxanthome|connective tissue diseases
m|angiœdème héréditaire|angiœdème|immune diseases
m|déficit immunitaire primitif|déficit immunitaire|immune diseases
m|asthme sévère|asthme|respiratory diseases
m|emphysème|emphysème|respiratory diseases
m|acouphène|acouphène|ear diseases
m|AVC de l'enfant|AVC de l'enfant|stroke
m|traumatisme crânien|traumatisme crânien|brain injury
m|hydrocéphalie|hydrocéphalie|neurological diseases
f|sclérodermie|sclérodermie|autoimmune diseases
f|polyarthrite juvénile|arthrite juvénile|rheumatic diseases
f|fibromyalgie|fibromyalgie|chronic pain
f|endométriose|endométriose|gynaecological diseases
f|drépanocytose|drépanocytose|blood diseases
f|thalassémie|thalassémie|blood diseases
f|hémochromatose|hémochromatose|metabolic diseases
f|sarcoïdose|sarcoïdose|inflammatory diseases
f|amylose|amylose|metabolic diseases
f|narcolepsie|narcolepsie|sleep disorders
f|migraine|migraine|headache
f|dystonie|dystonie|movement disorders
f|chorée|chorée|movement disorders
f|myasthénie|myasthénie|neuromuscular diseases
f|polyneuropathie|polyneuropathie|neuropathies
f|neuropathie optique de Leber|Leber|eye diseases
f|rétinite pigmentaire|rétinite pigmentaire|retinal disease
f|dégénérescence maculaire|DMLA|eye diseases
f|surdité génétique|surdité|hearing loss
f|dysphasie|dysphasie|speech disorders
f|dyslexie|dyslexie|learning disorders
f|dyspraxie|dyspraxie|learning disorders
f|trisomie 18|trisomie 18|genetic syndromes
f|achondroplasie|achondroplasie|bone diseases
f|ostéoporose|ostéoporose|bone diseases
f|spondylarthrite|spondylarthrite|spondyloarthritis
f|polykystose rénale|polykystose|kidney disease
f|cirrhose biliaire primitive|cirrhose biliaire|liver diseases
f|hépatite C|hépatite C|hepatitis
f|hépatite B|hépatite B|hepatitis
f|tuberculose|tuberculose|infectious diseases
f|leucémie de l'enfant|leucémie|leukaemia
f|anorexie mentale|anorexie|eating disorders
f|boulimie|boulimie|eating disorders
f|schizophrénie|schizophrénie|mental health
f|bipolarité|bipolarité|mental health
f|phobie sociale|phobie sociale|mental health
f|insuffisance cardiaque|insuffisance cardiaque|cardiovascular disease
f|hypertension artérielle pulmonaire|HTAP|cardiovascular disease
f|cardiomyopathie hypertrophique|cardiomyopathie|cardiovascular disease
f|fente labio-palatine|fente labiale|craniofacial anomalies
f|craniosténose|craniosténose|craniofacial anomalies
f|paralysie faciale|paralysie faciale|neurological diseases
f|épidermolyse bulleuse|épidermolyse|skin diseases
f|ichtyose|ichtyose|skin diseases
f|alopécie|alopécie|skin diseases
f|cystinose|cystinose|metabolic diseases
f|galactosémie|galactosémie|metabolic diseases
f|leucodystrophie|leucodystrophie|leukodystrophies
f|histiocytose|histiocytose|blood diseases
f|mastocytose|mastocytose|blood diseases
f|porphyrie|porphyrie|metabolic diseases
f|syringomyélie|syringomyélie|neurological diseases
f|paraplégie spastique|paraplégie spastique|neurological diseases
f|atrophie musculaire spinale|amyotrophie spinale|neuromuscular diseases
f|dystrophie musculaire de Duchenne|Duchenne|neuromuscular diseases
f|ataxie télangiectasie|ataxie télangiectasie|ataxias
f|maladie veineuse|maladie veineuse|vascular diseases
fp|cardiopathies congénitales|cardiopathies|cardiovascular disease
fp|maladies inflammatoires de l'intestin|MICI|Crohn's disease and colitis
fp|maladies auto-immunes|auto-immunes|autoimmune diseases
fp|maladies mitochondriales|mitochondries|mitochondrial diseases
fp|maladies neuromusculaires|neuromusculaires|neuromuscular diseases
fp|maladies rares de la peau|peau|skin diseases
fp|maladies héréditaires du métabolisme|métabolisme|metabolic diseases
fp|maladies respiratoires|respiration|respiratory diseases
fp|malformations vasculaires|malformations vasculaires|vascular diseases
fp|anomalies du développement|développement|genetic syndromes
fp|leucémies myéloïdes|LMC|leukaemia
fp|tumeurs de l'hypophyse|hypophyse|endocrine diseases
fp|allergies alimentaires|allergies|allergy
fp|douleurs chroniques|douleur|chronic pain
fp|brûlures graves|brûlures|burns
fp|amputations|amputés|disability
mp|troubles bipolaires|bipolaires|mental health
mp|troubles du spectre de l'autisme|TSA|autism
mp|troubles dys|dys|learning disorders
mp|troubles de l'audition|audition|hearing loss
mp|déficits visuels|malvoyance|eye diseases
mp|cancers de l'enfant|cancers pédiatriques|childhood cancer
mp|cancers rares|cancers rares|cancer
mp|lymphœdèmes|lymphœdème|vascular diseases
mp|myélomes|myélome|myeloma
mp|accidents vasculaires cérébraux|AVC|stroke
mp|rhumatismes inflammatoires|rhumatismes|rheumatic diseases
mp|déficits en hormone de croissance|croissance|endocrine diseases
mp|handicaps rares|handicaps rares|disability
mp|prématurés|prématurés|premature birth
mp|enfants nés sans rate|asplénie|immune diseases`;

export interface Condition {
  gender: 'm' | 'f' | 'mp' | 'fp';
  noun: string;
  short: string;
  area: string;
}

export const CONDITIONS: Condition[] = LINES.split('\n').map((line) => {
  const [gender, noun, short, area] = line.split('|');
  return { gender: gender as Condition['gender'], noun: noun ?? '', short: short ?? '', area: area ?? '' };
});

const VOWEL = /^[aeiouyhéèêàâîôûœAEIOUYHÉÈ]/;

/** "la maladie de Gaucher", "l'endométriose", "les maladies rares". */
export function withArticle(c: Condition): string {
  if (c.gender === 'mp' || c.gender === 'fp') return `les ${c.noun}`;
  if (VOWEL.test(c.noun)) return `l'${c.noun}`;
  return `${c.gender === 'm' ? 'le' : 'la'} ${c.noun}`;
}

/** "de la maladie de Gaucher", "du psoriasis", "des maladies rares", "de l'endométriose". */
export function deArticle(c: Condition): string {
  if (c.gender === 'mp' || c.gender === 'fp') return `des ${c.noun}`;
  if (VOWEL.test(c.noun)) return `de l'${c.noun}`;
  return c.gender === 'm' ? `du ${c.noun}` : `de la ${c.noun}`;
}

/** "contre la maladie…", "contre le psoriasis". */
export function prep(p: 'sur' | 'contre' | 'avec', c: Condition): string {
  return `${p} ${withArticle(c)}`;
}

/** Name templates for invented associations. */
export const TEMPLATES: ((c: Condition) => string)[] = [
  (c) => `Association pour la recherche ${prep('sur', c)}`,
  (c) => `Association française ${deArticle(c)}`,
  (c) => `Fédération française ${prep('contre', c)}`,
  (c) => `Vivre ${prep('avec', c)}`,
  (c) => `${cap(c.short)} France`,
  (c) => `Association des malades ${deArticle(c)}`,
  (c) => `Union nationale des familles touchées par ${withArticle(c)}`,
  (c) => `Fondation pour la recherche ${prep('sur', c)}`,
  (c) => `Ligue nationale ${prep('contre', c)}`,
  (c) => `Collectif ${cap(c.short)} Solidarité`,
  (c) => `Les Amis ${deArticle(c)}`,
  (c) => `Association d'entraide ${deArticle(c)}`,
  (c) => `Réseau national ${deArticle(c)}`,
  (c) => `Comité d'information ${prep('sur', c)}`,
  (c) => `Alliance ${cap(c.short)}`,
];

export function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
