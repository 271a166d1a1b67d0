// The classifier's signals as they were before the rewrites that keep them linear on hostile
// text (role markers, stems of other languages' words, image links): the oracle of
// signals.test.ts. Do not change it to make that test pass.

/**
 * Hand-built signals of what an attack does rather than how one data set
 * words it: overriding earlier instructions, switching the model's persona,
 * lifting its rules, extracting its prompt or secrets, addressing the AI from
 * inside data, fake role markers, and adversarial gibberish. Each is a count
 * over the normalised text; the classifier learns how much each one weighs.
 * The rules phase uses the strongest of them on their own.
 */
export interface Signal {
  name: string;
  pattern: RegExp;
}

const OVERRIDE_VERBS =
  "(?:ignore|disregard|forget|override|bypass|skip|drop|abandon|overlook|neglect|discard|set aside|stop following|do not follow|don't follow|no longer follow)";
const PRIOR =
  '(?:all|any|the|your|my|previous|prior|preceding|above|earlier|former|original|initial|existing|system|every|those|these|other)';
const RULES =
  '(?:instructions?|rules?|guidelines?|directions?|directives?|prompts?|context|constraints?|restrictions?|policies|policy|programming|orders|commands?|guardrails?|filters?|safeguards?|training|everything)';

/** The same in German, French, Spanish, Italian and Portuguese: one signal, so they share what the English teaches. */
const OVERRIDE_OTHER_LANGUAGES =
  '(?:ignorier\\p{L}*|vergiss|vergessen sie|missacht\\p{L}*|ignorez|oublie[rz]?|olvida\\p{L}*|ignora[rd]?\\p{L}*|dimentica\\p{L}*|esque[cç]a\\p{L}*)(?:\\s+\\S+){0,4}?\\s+(?:instructions|anweisungen|instruktionen|regeln|vorgaben|consignes|r[eè]gles|instrucciones|reglas|istruzioni|regole|instru[cç][oõ]es|regras)';
const EXTRACTION_OTHER_LANGUAGES =
  /(?:zeig\p{L}*|sag\p{L}*|verrat\p{L}*|nenne|r[eé]v[eè]le\p{L}*|montre\p{L}*|affiche\p{L}*|muestra\p{L}*|revela\p{L}*|dime|mostra\p{L}*|rivela\p{L}*)(?:\s+\S+){0,4}?\s+(?:(?:dein\p{L}*|deine|tes|vos|tus|tue|suas?) )?(?:system\s?prompt|systemanweisung\p{L}*|anweisungen|passwort|kennwort|instructions|mot de passe|instrucciones|contrase[nñ]a|istruzioni|senha|instru[cç][oõ]es)/gu;

export const REFERENCE_SIGNALS: readonly Signal[] = [
  {
    name: 'override',
    pattern: new RegExp(
      `\\b${OVERRIDE_VERBS}\\b(?:\\s+\\w+){0,3}?\\s+${PRIOR}\\b(?:\\s+\\w+){0,3}?\\s+${RULES}\\b|${OVERRIDE_OTHER_LANGUAGES}`,
      'gu',
    ),
  },
  {
    name: 'override_short',
    pattern: new RegExp(`\\b${OVERRIDE_VERBS}\\s+(?:everything|all that|what you were told|the above)`, 'g'),
  },
  {
    name: 'new_instructions',
    pattern:
      /\b(?:new|updated|real|actual|true|revised|secret|hidden|additional) (?:instructions?|task|rules?|objective|directive|orders)\b|\binstead,? (?:you (?:will|must|should)|do|say|print|output|write)\b/g,
  },
  {
    name: 'persona',
    pattern:
      /\b(?:you are now|from now on|you will now|pretend (?:to be|you are|that you)|act as (?:if|though|an?|my)|roleplay|role-play|role play|stay in character|in character as|you're going to act|simulate (?:a|an)|imagine (?:you are|that you)|play the role|take on the role|assume the (?:role|persona))\b/g,
  },
  {
    name: 'unrestricted',
    pattern:
      /\b(?:no|without(?: any)?|free (?:of|from)|zero|lift(?:ed)?|remove[ds]?|disable[ds]?|turn off|not bound by|unbound by|break (?:free )?(?:of|from))\s+(?:\w+\s+){0,2}(?:restrictions?|limits?|limitations|rules|filters?|filtering|censorship|guidelines|ethics|ethical|morals?|moral|boundaries|constraints|safeguards|guardrails|policies)\b|\b(?:unfiltered|uncensored|unrestricted|jailbr[eo]a?k\w*|developer mode|god mode|dan mode|do anything now|amoral|unethical ai|evil (?:ai|assistant|bot))\b/g,
  },
  {
    name: 'extraction',
    pattern: new RegExp(
      `${/\b(?:reveal|print|show|repeat|output|display|leak|dump|tell me|give me|share|disclose|write (?:out|down)|spell out|recite|echo)\b(?:\s+\S+){0,5}?\s+(?:system prompt|initial prompt|original prompt|hidden prompt|your prompt|your instructions|the instructions|previous instructions|above (?:text|instructions)|password|secret(?: key)?|api key|credentials|confidential|configuration|pre-prompt|everything above)\b/.source}|${EXTRACTION_OTHER_LANGUAGES.source}`,
      'gu',
    ),
  },
  {
    name: 'addresses_ai',
    pattern:
      /\b(?:ai|assistant|chatbot|language model|llm|gpt|chatgpt|claude|bard|bot|model)\s*[,:!]\s*(?:please\s+)?(?:you\b|\w+\b)|\b(?:note|message|instructions?|attention|important|reminder) (?:to|for) (?:the )?(?:ai|assistant|llm|model|chatbot|language model|reader)\b|\bdear (?:ai|assistant|model)\b/g,
  },
  {
    name: 'your_answer',
    pattern:
      /\b(?:in|to|at the (?:end|start|beginning) of|when (?:writing|generating|composing)|before|after|within) your (?:answer|response|reply|output|summary)\b|\byour (?:answer|response|reply|output) (?:must|should|will|has to|needs to)\b/g,
  },
  {
    name: 'must_obey',
    pattern:
      /\byou (?:must|have to|will|shall|need to|are required to|are obligated to|cannot refuse|can't refuse|will not refuse|won't refuse|never refuse|always (?:answer|comply|respond))\b|\b(?:never|don't|do not) (?:refuse|decline|warn|mention (?:that|any)|add (?:any )?(?:warnings?|disclaimers?))\b/g,
  },
  {
    name: 'role_marker',
    // A marker starts at the first line break of a blank stretch and the first `#` of a run (the
    // look-behinds): from a later one it would end where the first one's does, and trying every
    // one of them was quadratic on long blank or `#` runs. No match ends in a blank or a `#`.
    pattern:
      /(?:^|(?<=(?:^|\S)[^\S\n]*)\n)\s*(?:#{1,3}\s*)?(?:system|assistant|user|human|ai|developer|admin|root)\s*:|<(?:im_start|im_end|system|endoftext|user|assistant)>|\[\/?(?:inst|system|sys)\]|<<\/?sys>>|<\/?(?:system|instructions?|admin)>|(?<!#)#{2,}\s*(?:instruction|system|new task|response)|\bend of (?:document|context|input|email|data)\b|\bbegin (?:new )?(?:instructions?|system)\b/g,
  },
  {
    name: 'authority',
    pattern:
      /\b(?:i am|i'm|this is) (?:your|the|an?) (?:developer|creator|administrator|admin|owner|operator|openai|anthropic|system|supervisor)\b|\b(?:admin|administrator|developer|system|sudo|root|maintenance|debug|test) (?:mode|override|access|command|privileges?)\b|\bauthori[sz]ed (?:by|to|user|request)\b/g,
  },
  {
    name: 'harmful',
    pattern:
      /\b(?:bombs?|explosives?|detonat\w*|weapons?|firearms?|guns?|ammunition|nerve agent|bioweapon\w*|chemical weapon|malware|ransomware|computer virus(?:es)?|keyloggers?|botnets?|ddos attacks?|hack(?:s|ed|ing)? into|hacking (?:tools?|techniques)|exploit(?:s|ing)? (?:a |the |this |these |known )?(?:vulnerabilit\w*|flaws?|weakness\w*|loopholes?)|phishing|steal(?:s|ing)?|stolen|theft|fraud\w*|scam\w*|counterfeit\w*|launder\w*|meth(?:amphetamine)?|cocaine|heroin|fentanyl|drugs?|poison\w*|kill(?:s|ing)? (?:a |the |my |his |her |their )?(?:person|people|someone|him|her|them|myself|yourself|wife|husband|neighbou?r|boss)|murder\w*|assassinat\w*|suicide|self-harm|harass\w*|blackmail\w*|extort\w*|terror\w*|extremis\w*|racis\w*|sexis\w*|genocide|torture|kidnap\w*|traffick\w*|smuggl\w*|illegal\w*|illicit|evade (?:taxes|the police|detection|law enforcement)|untraceable|defam\w*|propaganda|disinformation|misinformation|hate speech|pornograph\w*|explicit sexual|child sexual|violen\w*|insult\w*|offensive)\b/g,
  },
  {
    name: 'fiction_frame',
    pattern:
      /\b(?:hypothetical(?:ly)?|fictional|fiction|a story|a novel|screenplay|a movie|a game|thought experiment|for (?:educational|research|academic) purposes|purely (?:academic|theoretical|educational)|in a world where|imagine a (?:world|scenario)|as a (?:character|villain)|for a (?:novel|story|book|film|movie))\b/g,
  },
  {
    name: 'compliance_prefix',
    pattern:
      /\b(?:begin|start) (?:your (?:reply|response|answer)|with) ["']?sure\b|\bsure,? here (?:is|are)\b|\brespond (?:only )?with ["']?(?:yes|sure|ok)\b|\bwithout (?:any )?(?:hesitation|question|warnings?|disclaimers?)\b/g,
  },
  {
    name: 'exfiltration',
    pattern:
      /!\[[^\]]*\]\(https?:|\b(?:send|forward|email|post|upload|transmit|exfiltrate) (?:\w+ ){0,4}(?:to|at) (?:https?:|www\.|\S+@\S+)|\b(?:visit|click|go to|open|navigate to) (?:this |the following )?(?:link|url|website|site|https?:)/g,
  },
  {
    name: 'code_exec',
    pattern:
      /\b(?:run|execute|exec|eval|evaluate|bypass|call|invoke)\s*:\s*`|\b(?:whoami|\/etc\/passwd|\/etc\/shadow|rm -rf \/(?:\s|$)|document\.cookie|kill -9 -1|reverse shell|nc -e|curl [^\n]{0,40}\|\s*(?:ba)?sh)/g,
  },
  {
    name: 'safety_off',
    pattern:
      /\b(?:safety|security|content|ethical|moral) (?:features?|protocols?|filters?|measures|guidelines|restrictions|settings|checks|mode|systems?)\s+(?:are |is |have been |has been |now )?(?:disabled|suspended|off|removed|lifted|deactivated|bypassed|overridden|turned off)\b|\b(?:system|safety) override\b|\brespond (?:freely|without)\b/g,
  },
  {
    name: 'encoding_trick',
    pattern:
      /\b(?:base64|rot13|rot-13|caesar cipher|hex(?:adecimal)? encod\w*|morse code|reverse(?:d)? (?:the )?(?:text|order|letters)|decode (?:this|the following)|leetspeak|pig latin|ascii codes?|unicode escape|atbash)\b/g,
  },
];
