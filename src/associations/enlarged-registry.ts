import { initialsOf } from './normalise.js';
import type { RegistryEntry } from './registry-entry.js';
import { CONDITIONS, TEMPLATES } from './seed/conditions.js';

export const PLACES =
  `Bretagne Occitanie Normandie Alsace Lorraine Picardie Provence Savoie Auvergne Bourgogne Limousin
Aquitaine Champagne Corse Vendée Anjou Touraine Berry Poitou Gascogne Béarn Artois Flandres Ardennes Jura Vosges
Lyon Marseille Toulouse Nice Nantes Strasbourg Montpellier Bordeaux Lille Rennes Reims Grenoble Dijon Angers Nîmes
Brest Tours Limoges Amiens Perpignan Metz Besançon Orléans Rouen Mulhouse Caen Nancy Avignon Poitiers Pau Calais
Annecy Chambéry Valence Quimper Lorient Vannes Laval Cholet Niort Troyes Colmar Ajaccio Bastia Bayonne Tarbes Albi
Rodez Cahors Agen Périgueux Angoulême Guéret Tulle Aurillac Moulins Nevers Auxerre Chartres Évreux Alençon Cherbourg
Dieppe Beauvais Compiègne Laon Soissons Arras Douai Cambrai Valenciennes Dunkerque Boulogne Épinal Belfort Vesoul`.split(
    /\s+/,
  );

/**
 * A registry enlarged with generated entries (condition × name template × region), for
 * benchmarks: `size` entries in all, the given ones first. Generated ids are `G00001…`.
 */
export function enlargedRegistry(base: readonly RegistryEntry[], size: number): RegistryEntry[] {
  const out = [...base];
  const names = new Set(base.map((e) => e.name.toLowerCase()));
  let n = 0;
  for (const place of ['', ...PLACES]) {
    for (const [k, t] of TEMPLATES.entries()) {
      for (const [j, c] of CONDITIONS.entries()) {
        if (out.length >= size) return out;
        // each place has its own associations, not a copy of every national one
        if (place && (j * 31 + k * 17 + place.length * 7) % 13 !== 0) continue;
        const name = place ? `${t(c)} de ${place}` : t(c);
        if (names.has(name.toLowerCase())) continue;
        names.add(name.toLowerCase());
        n++;
        const acr = initialsOf(name)[0]?.toUpperCase();
        out.push({
          id: `G${String(n).padStart(5, '0')}`,
          name,
          acronyms: acr && n % 2 === 0 ? [acr] : [],
          aliases: [],
          area: c.area,
          origin: 'invented',
        });
      }
    }
  }
  return out;
}
