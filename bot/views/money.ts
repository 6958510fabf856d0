import Big from 'big.js';

const symbols = { USD: '$', NGN: '₦' } as const;

/** A decimal string as money for people: two places, rounded half up, thousands grouped. */
export function formatMoney(amount: string, currency: keyof typeof symbols): string {
  const [whole = '0', cents = '00'] = new Big(amount).toFixed(2, Big.roundHalfUp).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${symbols[currency]}${grouped}.${cents}`;
}
