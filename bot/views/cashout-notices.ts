/**
 * What the cashout flow's notices say, where bot/views/notices.ts has no sentence or words it
 * for onboarding. Values named `…Usd` arrive as decimal strings and `noticeText` shows them as
 * dollars, so the sentences carry no `$`.
 */
export const cashoutNoticeTexts: Record<string, string> = {
  'amount.empty': 'Type an amount in dollars, for example 25 or 12.50.',
  'amount.notANumber': 'That is not an amount. Type digits only, for example 25 or 12.50.',
  'amount.negative': 'An amount cannot be negative. Type how much you want to receive.',
  'amount.exponent': 'Type the amount in full, for example 1500 rather than 1.5e3.',
  'amount.tooManyDecimals': 'Amounts are in dollars and cents: at most two decimals, like 12.50.',
  'amount.badGrouping':
    'Commas go only between thousands, as in 1,250.50. You can also leave them out.',
  'amount.tooLarge': 'That is far more than any wallet holds. Type the amount in dollars.',
  'amount.belowMinimum': 'The smallest cashout is {minUsd}.',
  'amount.aboveMaximum': 'The largest cashout is {maxUsd}. Split a larger sum into a few cashouts.',
  'amount.aboveNoEmailCap':
    'Without a verified e-mail, each cashout is at most {capUsd}. Choose a smaller amount.',
  'amount.aboveWithdrawable':
    'You can cash out at most {withdrawableUsd} now. Trading credit stays in your wallet for trades.',
  'amount.outsideLimits': 'A cashout must be between {minUsd} and {maxUsd}. Choose another amount.',
  'amount.allAccepted': 'Your whole withdrawable balance fits the limits: press All to take it.',

  'address.empty': 'Paste the address you want the coins sent to.',
  'address.tooLong': 'That is too long for an address. Paste the address alone.',
  'address.invalid':
    'That is not an address we can pay to. Copy it again from your wallet and paste it here.',
  'address.badChecksum':
    'That address has a typing mistake: its checksum does not match. Copy and paste it again.',
  'address.wrongNetwork':
    'That address is for another network ({looksLike}). Coins sent there are lost: paste an address for the asset you chose.',

  'account.notDigits': 'An account number is digits only. Type the 10-digit NUBAN number.',
  'account.length': 'An account number has 10 digits; that one has {digits}.',
  'account.notFound':
    'The bank found no account with that number. Check the 10 digits and type them again.',

  'label.empty': 'Type a name for this destination, for example Ledger or Salary.',
  'label.tooLong': 'That name is too long: at most {max} characters.',
  'label.invalid': 'Names are one line of plain text. Type another.',
  'label.taken': 'You already have a destination with that name. Type another.',
  'label.looksLikeCode': 'Type a name with letters, for example Ledger, not six digits.',

  'asset.unknown': 'We do not pay out in that asset. Choose one of the buttons.',
  'bank.unknown': 'We cannot pay out to that bank. Choose one from the list.',
  'destination.unknown': 'That destination is not in this list. Choose one, or add a new one.',
  'destination.gone': 'That saved destination no longer exists. Choose or enter another one.',

  'quote.unavailable':
    'We could not get a price for this payout right now. Try again, or choose another way.',
  'quote.expired': 'The held rate ran out, so this is a fresh quote. Check it before you confirm.',
  'quote.nothingArrives':
    'Nothing would arrive: the platform fee of {platformFeeUsd} and the network fee of {networkFee} {currency} take all of {amountUsd}. Choose a larger amount.',

  'code.resendNeeded': 'That code no longer works. Press Resend code for a new one.',
  'code.required':
    'This cashout needs the code from your e-mail. Press Confirm and we will send one.',
  'code.verified': '✅ Code accepted.',
  'code.hourlyLimit': 'Too many codes this hour. Try again in {minutes} minutes.',

  'rates.stale':
    'Our exchange rates are out of date right now, so we cannot price a cashout. Try again in a few minutes.',
  'cashout.alreadyActive':
    'You already have a cashout in progress (id {cashoutId}). Start another once it is paid out or declined.',
  'cashout.nothingToWithdraw':
    'You have {withdrawableUsd} to cash out and the smallest cashout is {minUsd}. Trading credit cannot be cashed out.',
  'cashout.insufficientFunds':
    'Your balance changed and no longer covers this amount. Choose a smaller amount.',
  'cashout.submitting':
    'Your cashout is being submitted and can no longer be cancelled. The result follows in a moment.',
};
